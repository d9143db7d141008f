using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SkiaSharp;
using SlimGen.Checkpoints;
using SlimGen.FashionMnistSample;
using SlimGen.Serve.Testing;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Serve.Tests;

/// <summary>
/// Samples/Serve in a process of its own on a loopback port: a few hundred concurrent requests mixed with bad ones,
/// each answer checked (the classes against the same weights run here), and a clean shutdown with requests in flight.
/// </summary>
public sealed class ServeTests : IDisposable
{
    private const int Images = 24;
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-serve-").FullName;
    private readonly string weights;
    private readonly byte[][] pngs;
    private readonly (int Class, float Score)[] expected;

    public ServeTests()
    {
        weights = Path.Combine(directory, "model.safetensors");
        var pixels = Enumerable.Range(0, Images).Select(Pixels).ToArray();
        pngs = pixels.Select(values => Encode(values, 28, SKEncodedImageFormat.Png)).ToArray();

        // The service's answers for these weights and images, computed here: the sample's preprocessing is value / 255.
        manual_seed(3);
        using var model = new TutorialCnn();
        model.eval();
        Checkpoint.Save(model, weights);
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var inputs = tensor(pixels.SelectMany(values => values.Select(value => value / 255f)).ToArray(), [Images, 1, 28, 28]);
        var probabilities = nn.functional.softmax(model.call(inputs), 1);
        var (scores, classes) = probabilities.max(1);
        expected = Enumerable.Range(0, Images).Select(i => ((int)classes[i].item<long>(), scores[i].item<float>())).ToArray();
    }

    [Theory]
    [InlineData("torchsharp")]
    [InlineData("onnx")]
    public async Task Hundreds_of_concurrent_requests_mixed_with_bad_ones_each_get_the_right_answer_and_the_service_stays_up(string backend)
    {
        await using var service = await ServeProcess.StartAsync(
            Program, $"Backend={backend}", $"Weights={weights}", "MaxBatchSize=8", "MaxWaitMilliseconds=5");
        var requests = Enumerable.Range(0, 320).Select(Request).ToArray();
        using var gate = new SemaphoreSlim(16);

        var failures = await Task.WhenAll(requests.Select(async request =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await service.Client.SendAsync(request.Build());
                string body = await response.Content.ReadAsStringAsync();
                return request.Check(response.StatusCode, body);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.True(failures.All(f => f is null), string.Join('\n', failures.Where(f => f is not null)) + "\n" + service.Log);
        using var ready = await service.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"with {backend} on cpu", service.Log);
        var model = await service.Client.GetFromJsonAsync<JsonElement>("/v1/model");
        long batches = model.GetProperty("served").GetProperty("batches").GetInt64();
        long served = model.GetProperty("served").GetProperty("requests").GetInt64();
        Assert.Equal(requests.Count(r => r.Status == HttpStatusCode.OK), served);
        Assert.True(batches < served, $"{served} requests in {batches} forward passes: concurrent requests should share passes");
    }

    [Fact]
    public async Task On_SIGTERM_requests_in_flight_finish_and_the_process_exits_cleanly()
    {
        // A long batching wait keeps the requests inside the service when the signal comes.
        await using var service = await ServeProcess.StartAsync(Program, $"Weights={weights}", "MaxBatchSize=64", "MaxWaitMilliseconds=600");
        using var warm = await service.Client.SendAsync(Request(0).Build());
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        var inFlight = Enumerable.Range(0, 8).Select(i => service.Client.SendAsync(Request(i * 10).Build())).ToArray();
        await Task.Delay(250);
        service.Terminate();
        var responses = await Task.WhenAll(inFlight);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not exit\n" + service.Log);
        Assert.Equal(0, service.ExitCode);
        Assert.Contains("Application is shutting down", service.Log);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Program => typeof(ServeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ServeProgram").Value!;

    /// <summary>Request <paramref name="i"/> of the mix: most are valid images, one in five is bad in some way.</summary>
    private TestRequest Request(int i)
    {
        int image = i % Images;
        var (label, score) = expected[image];
        string top = $"\"class\":{label},";
        return (i % 20) switch
        {
            3 => new("text/plain", Encoding.UTF8.GetBytes("a shoe"), HttpStatusCode.UnsupportedMediaType, "is not accepted: send image/png"),
            7 => new("image/png", Encoding.UTF8.GetBytes("not an image at all"), HttpStatusCode.UnprocessableEntity, "is not a PNG or JPEG image"),
            9 => new("image/jpeg", Encode(Pixels(image), 28, SKEncodedImageFormat.Jpeg)[..300], HttpStatusCode.UnprocessableEntity, "truncated or corrupt"),
            11 => new("image/png", Encode(new byte[32 * 32], 32, SKEncodedImageFormat.Png), HttpStatusCode.UnprocessableEntity, "classifies 28x28 images; this one is 32x32"),
            13 => new("application/json", Encoding.UTF8.GetBytes("{\"shape\": [3, 28, 28], \"data\": [0]}"), HttpStatusCode.UnprocessableEntity, "expects one example of shape [1, 28, 28]; got [3, 28, 28]"),
            15 => new("application/json", Encoding.UTF8.GetBytes("{\"shape\": [1, 28"), HttpStatusCode.BadRequest, "is not valid tensor JSON"),
            17 when i < 20 => new("image/png", new byte[50 << 20], HttpStatusCode.RequestEntityTooLarge, "The body is larger than"),
            5 => new("application/json", JsonSerializer.SerializeToUtf8Bytes(new { shape = new[] { 1, 28, 28 }, data = Pixels(image).Select(v => v / 255f) }), HttpStatusCode.OK, top, score),
            _ => new("image/png", pngs[image], HttpStatusCode.OK, top, score),
        };
    }

    /// <summary>A deterministic 28x28 gray image, different for each <paramref name="seed"/>.</summary>
    private static byte[] Pixels(int seed)
    {
        var random = new Random(seed);
        var values = new byte[28 * 28];
        random.NextBytes(values);
        return values;
    }

    private static byte[] Encode(byte[] gray, int size, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8));
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>One request and what its answer must be.</summary>
    private sealed record TestRequest(string ContentType, byte[] Body, HttpStatusCode Status, string Contains, float? Score = null)
    {
        public HttpRequestMessage Build()
        {
            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/classify") { Content = content };
            // As curl does for large bodies: the service can refuse one before it is sent.
            request.Headers.ExpectContinue = Body.Length > 1 << 20;
            return request;
        }

        /// <summary>Null when the answer is right, otherwise what is wrong with it.</summary>
        public string? Check(HttpStatusCode status, string body)
        {
            if (status != Status || !body.Contains(Contains, StringComparison.Ordinal))
                return $"{ContentType} ({Body.Length} bytes): expected {(int)Status} with '{Contains}', got {(int)status}: {body}";
            if (Score is not { } score)
                return null;
            float served = JsonDocument.Parse(body).RootElement.GetProperty("predictions")[0].GetProperty("score").GetSingle();
            return Math.Abs(served - score) < 1e-4 ? null : $"top score {served}, expected {score}: {body}";
        }
    }
}
