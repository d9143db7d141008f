using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Reads the reference cases written by Tests/Fixtures/export_layer_fixtures.py.</summary>
internal static class LayerFixtures
{
    private static readonly ConcurrentDictionary<string, JsonElement[]> Files = new();

    public static string[] Names(string file) => Cases(file).Select(c => c.GetProperty("name").GetString()!).ToArray();

    public static TheoryData<string> CaseNames(string file) => new(Names(file));

    public static JsonElement Case(string file, string name) => Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A float32 tensor from <c>{ "shape": [...], "data": [...] }</c>; each value parses exactly to the exported float32.</summary>
    public static Tensor Float32(this JsonElement json, string property)
    {
        var value = json.GetProperty(property);
        var data = value.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return tensor(data, Shape(value));
    }

    public static string Text(this JsonElement json, string property) => json.GetProperty(property).GetString()!;

    public static int Int(this JsonElement json, string property) => json.GetProperty(property).GetInt32();

    public static double Double(this JsonElement json, string property) => json.GetProperty(property).GetDouble();

    /// <summary>A <see cref="Layers.Size2d"/> from <c>[height, width]</c>, or null where the property is null.</summary>
    public static Layers.Size2d? Size(this JsonElement json, string property)
    {
        var value = json.GetProperty(property);
        return value.ValueKind == JsonValueKind.Null ? null : new Layers.Size2d(value[0].GetInt32(), value[1].GetInt32());
    }

    public static T Enum<T>(this JsonElement json, string property) where T : struct, Enum => System.Enum.Parse<T>(json.Text(property));

    /// <summary>Asserts that <paramref name="actual"/> has the reference's shape and is within 1e-5 relative, 1e-6 absolute, of every value.</summary>
    public static void AssertClose(Tensor actual, JsonElement json, string property)
    {
        var expected = json.GetProperty(property);
        Assert.Equal(Shape(expected), actual.shape);
        var reference = expected.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        using var asDouble = actual.detach().to_type(ScalarType.Float64);
        var values = asDouble.data<double>().ToArray();
        for (var i = 0; i < reference.Length; i++)
        {
            var tolerance = 1e-6 + 1e-5 * Math.Abs(reference[i]);
            Assert.True(Math.Abs(values[i] - reference[i]) <= tolerance,
                $"{property}[{i}] (flat): expected {reference[i]:R}, got {values[i]:R}");
        }
    }

    /// <summary>Copies reference tensors into a module's state_dict entries, by key.</summary>
    public static void Load(nn.Module module, params (string Key, Tensor Value)[] entries)
    {
        var state = module.state_dict();
        using var noGrad = no_grad();
        foreach (var (key, value) in entries)
            state[key].copy_(value);
    }

    private static long[] Shape(JsonElement tensorJson) => tensorJson.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static JsonElement[] Cases(string file) => Files.GetOrAdd(file, static name =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    });
}
