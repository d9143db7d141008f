using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SlimGen.Serve;

/// <summary>What the service serves, and whether it takes requests.</summary>
public sealed class ServiceState(ServedModel model, string backend, ServeOptions options)
{
    public ServedModel Model { get; } = model;
    public string Backend { get; } = backend;
    public ServeOptions Options { get; } = options;

    /// <summary>Model loaded and warmed up, and not shutting down.</summary>
    public volatile bool Ready;
}

/// <summary>One class of an answer.</summary>
/// <param name="Class">The class index.</param>
/// <param name="Label">The class name, where the model has names.</param>
/// <param name="Score">Its softmax probability.</param>
public sealed record Prediction(int Class, string? Label, float Score);

/// <summary>The answer to a classification request.</summary>
/// <param name="Model">The served model.</param>
/// <param name="Predictions">The top classes, best first.</param>
/// <param name="BatchSize">How many requests shared the forward pass.</param>
/// <param name="InferenceMilliseconds">That forward pass's duration.</param>
public sealed record ClassifyResponse(string Model, IReadOnlyList<Prediction> Predictions, int BatchSize, double InferenceMilliseconds);

/// <summary>A tensor sent as JSON: one example, <c>{"shape": [1, 28, 28], "data": [...]}</c>.</summary>
public sealed record TensorRequest(long[]? Shape, float[]? Data);

/// <summary>The HTTP endpoints.</summary>
public static class ServeEndpoints
{
    private const string Json = "application/json";

    public static void Map(WebApplication app, DynamicBatcher batcher, ServiceState state)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }))
            .WithSummary("Liveness: the process answers.");
        app.MapGet("/health/ready", () => state.Ready
                ? Results.Ok(new { status = "ready", waiting = batcher.Waiting })
                : Results.Json(new { status = "not ready" }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithSummary("Readiness: the model is loaded and warmed up, and the service is not shutting down.");
        app.MapGet("/v1/model", () => Results.Ok(new
        {
            model = state.Model.Name,
            inputShape = state.Model.InputShape,
            classes = state.Model.ClassNames,
            backend = state.Backend,
            device = state.Options.Device,
            maxBatchSize = state.Options.MaxBatchSize,
            maxWaitMilliseconds = state.Options.MaxWaitMilliseconds,
            served = new { batches = batcher.Served.Batches, requests = batcher.Served.Examples },
        }))
            .WithSummary("The served model, its input and classes, and the batching settings.");
        app.MapPost("/v1/classify", (Func<HttpContext, Task<IResult>>)(context => Classify(context, batcher, state)))
            .WithSummary("Classifies one image or one tensor.")
            .WithDescription("The body is a PNG or JPEG image (Content-Type image/png or image/jpeg), preprocessed as the model's " +
                             "weights expect, or one example as application/json {\"shape\": [...], \"data\": [...]} (see /v1/model). " +
                             "Other content types get 415; the answer lists the top classes with their softmax scores.")
            .Produces<ClassifyResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
    }

    private static async Task<IResult> Classify(HttpContext context, DynamicBatcher batcher, ServiceState state)
    {
        var options = state.Options;
        try
        {
            var input = await ReadInput(context.Request, state);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(options.RequestTimeoutMilliseconds);
            try
            {
                var result = await batcher.EnqueueAsync(input, timeout.Token);
                return Results.Ok(Answer(state, result));
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return Results.Problem(
                    $"No answer within {options.RequestTimeoutMilliseconds} ms; {batcher.Waiting} requests are waiting.",
                    statusCode: StatusCodes.Status504GatewayTimeout);
            }
        }
        catch (BadRequestException e)
        {
            return Results.Problem(e.Message, statusCode: e.StatusCode);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem($"The body is larger than {options.MaxBodyBytes:N0} bytes.", statusCode: e.StatusCode);
        }
        catch (Exception e) when (e is QueueFullException or ShuttingDownException)
        {
            context.Response.Headers.RetryAfter = "1";
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty; // the client left; nobody reads the answer
        }
    }

    private static async Task<float[]> ReadInput(HttpRequest request, ServiceState state)
    {
        var options = state.Options;
        if (request.ContentLength > options.MaxBodyBytes)
            throw new BadRequestException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.MaxBodyBytes:N0} bytes.");
        string? mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;
        if (mediaType is not ("image/png" or "image/jpeg" or Json))
        {
            throw new BadRequestException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not accepted: send image/png, image/jpeg, or {Json} with {{\"shape\": " +
                $"[{string.Join(", ", state.Model.InputShape)}], \"data\": [...]}}.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        var bytes = body.ToArray();
        return mediaType == Json ? ReadTensor(bytes, state.Model) : state.Model.Preprocess(ImageDecoder.Decode(bytes));
    }

    private static float[] ReadTensor(byte[] bytes, ServedModel model)
    {
        TensorRequest? tensor;
        try
        {
            tensor = JsonSerializer.Deserialize<TensorRequest>(bytes, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            throw new BadRequestException(StatusCodes.Status400BadRequest, $"The body is not valid tensor JSON: {e.Message}");
        }
        string expected = $"[{string.Join(", ", model.InputShape)}]";
        if (tensor?.Shape is null || tensor.Data is null)
            throw new BadRequestException(StatusCodes.Status400BadRequest, $"Send {{\"shape\": {expected}, \"data\": [...]}}.");
        // One example, with or without its batch dimension of 1.
        var shape = tensor.Shape.Length == model.InputShape.Count + 1 && tensor.Shape[0] == 1 ? tensor.Shape[1..] : tensor.Shape;
        if (!shape.SequenceEqual(model.InputShape))
            throw new BadRequestException(StatusCodes.Status422UnprocessableEntity, $"{model.Name} expects one example of shape {expected}; got [{string.Join(", ", tensor.Shape)}].");
        if (tensor.Data.Length != model.InputSize)
            throw new BadRequestException(StatusCodes.Status422UnprocessableEntity, $"The shape {expected} holds {model.InputSize} values; data has {tensor.Data.Length}.");
        if (tensor.Data.Any(value => !float.IsFinite(value)))
            throw new BadRequestException(StatusCodes.Status422UnprocessableEntity, "The data holds NaN or infinite values.");
        return tensor.Data;
    }

    private static ClassifyResponse Answer(ServiceState state, BatchResult result)
    {
        var top = Softmax(result.Logits)
            .Select((score, index) => new Prediction(index, state.Model.ClassNames?[index], score))
            .OrderByDescending(prediction => prediction.Score)
            .Take(state.Options.TopK)
            .ToArray();
        return new ClassifyResponse(state.Model.Name, top, result.BatchSize, result.InferenceMilliseconds);
    }

    /// <summary>Probabilities from logits, shifted by the largest for numerical stability.</summary>
    private static float[] Softmax(float[] logits)
    {
        float largest = logits.Max();
        var exponentials = logits.Select(logit => Math.Exp(logit - largest)).ToArray();
        double sum = exponentials.Sum();
        return exponentials.Select(value => (float)(value / sum)).ToArray();
    }
}
