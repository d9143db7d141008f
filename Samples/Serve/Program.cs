using System;
using System.ComponentModel.DataAnnotations;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlimGen;
using SlimGen.Onnx;
using SlimGen.Serve;
using TorchSharp;

// SlimGen's inference service: a model behind an ASP.NET Core minimal API with dynamic batching (README, "Serve a model").
//   dotnet run -c Release --project Samples/Serve -- --urls http://127.0.0.1:5000 --Serve:Weights runs/fashion-mnist/<run>/model.safetensors
// appsettings.json is read from the program's folder, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var options = builder.Configuration.GetSection("Serve").Get<ServeOptions>() ?? new ServeOptions();
Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();

// The model is built, and later run, on this thread: the main thread (DynamicBatcher.Run says why).
SlimRuntime.Initialize();
var served = ServedModel.Named(options.Model);
using var backend = CreateBackend(options, served);
WarmUp(backend, served, options.MaxBatchSize);
var batcher = new DynamicBatcher(options, served.InputSize);
var state = new ServiceState(served, backend.Name, options);

var app = builder.Build();
app.MapOpenApi();
ServeEndpoints.Map(app, batcher, state);
var logger = app.Services.GetRequiredService<ILogger<ServiceState>>();
if (options.Weights is null)
    logger.LogWarning("Serve:Weights is not set: {Model} answers with its random initial weights", served.Name);
logger.LogInformation("Serving {Model} with {Backend} on {Device}; convolutions: {Convolutions}; allocator: {Allocator}",
    served.Name, backend.Name, options.Device, SlimRuntime.Convolutions, SlimRuntime.Allocator);

// Shutdown: stop taking requests, let the server finish the ones in flight (the batcher still runs), then end the loop.
app.Lifetime.ApplicationStopping.Register(() =>
{
    state.Ready = false;
    _ = Task.Run(() => app.StopAsync());
});
app.Lifetime.ApplicationStopped.Register(batcher.Complete);
app.StartAsync().GetAwaiter().GetResult();
state.Ready = true;
batcher.Run(backend);
app.DisposeAsync().AsTask().GetAwaiter().GetResult();
return 0;

static IInferenceBackend CreateBackend(ServeOptions options, ServedModel served) => options.Backend.ToLowerInvariant() switch
{
    "torchsharp" => new TorchSharpBackend(served.Create(options.Weights), served.InputShape, new torch.Device(options.Device)),
    "onnx" => new OnnxBackend(LoadOnnx(options, served)),
    _ => throw new ArgumentException($"Unknown backend '{options.Backend}'. Serve:Backend is 'torchsharp' or 'onnx'."),
};

// An exported .onnx file as it is; a checkpoint (or no weights) exported from the TorchSharp model first.
static OnnxModel LoadOnnx(ServeOptions options, ServedModel served)
{
    if (options.Weights?.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) == true)
        return OnnxModel.Load(options.Weights);
    string exported = Path.Combine(Path.GetTempPath(), $"slimgen-serve-{Guid.NewGuid():N}.onnx");
    try
    {
        using (var model = served.Create(options.Weights))
            model.ExportOnnx(exported);
        return OnnxModel.Load(exported);
    }
    finally
    {
        File.Delete(exported); // ONNX Runtime has read it
    }
}

// The first passes pay for one-time allocations and kernel selection: before the service says it is ready.
static void WarmUp(IInferenceBackend backend, ServedModel served, int maxBatch)
{
    foreach (int batch in new[] { 1, maxBatch })
        backend.Predict(new float[batch * served.InputSize], batch);
}
