using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using SlimGen.Onnx;
using SlimGen.Runtime.Tests.Models;
using Xunit;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// The Triton model repository SlimGen writes: the layout Triton's documentation prescribes
/// (<c>repository/name/config.pbtxt</c>, <c>repository/name/1/model.onnx</c>) and a config.pbtxt that parses as protobuf
/// text format and agrees with the ONNX file. Triton itself cannot run here.
/// </summary>
public sealed class TritonExportTests : IDisposable
{
    private readonly string repository = Directory.CreateTempSubdirectory("slimgen-triton-").FullName;

    [Fact]
    public void The_repository_has_Tritons_layout_and_a_config_that_matches_the_model()
    {
        using var model = new TinyVgg(numClasses: 7);

        string config = model.ExportTritonModel(repository, "tiny_vgg", maxBatchSize: 16, maxQueueDelayMicroseconds: 500);

        Assert.Equal(Path.Combine(repository, "tiny_vgg", "config.pbtxt"), config);
        Assert.Equal(["config.pbtxt"], Directory.GetFiles(Path.Combine(repository, "tiny_vgg")).Select(Path.GetFileName));
        Assert.Equal(["model.onnx"], Directory.GetFiles(Path.Combine(repository, "tiny_vgg", "1")).Select(Path.GetFileName));
        var fields = TextFormat.Parse(File.ReadAllText(config));
        Assert.Equal("\"tiny_vgg\"", fields["name"]);
        Assert.Equal("\"onnxruntime_onnx\"", fields["platform"]);
        Assert.Equal("16", fields["max_batch_size"]);
        Assert.Equal("500", fields["dynamic_batching.max_queue_delay_microseconds"]);
        Assert.Equal("KIND_CPU", fields["instance_group.kind"]);

        using var session = new InferenceSession(Path.Combine(repository, "tiny_vgg", "1", "model.onnx"));
        var (input, output) = (session.InputMetadata.Single(), session.OutputMetadata.Single());
        Assert.Equal($"\"{input.Key}\"", fields["input.name"]);
        Assert.Equal($"\"{output.Key}\"", fields["output.name"]);
        Assert.Equal("TYPE_FP32", fields["input.data_type"]);
        // With max_batch_size above 0, Triton's dims leave out the batch dimension.
        Assert.Equal(string.Join(",", input.Value.Dimensions.Skip(1)), fields["input.dims"]);
        Assert.Equal("7", fields["output.dims"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my model")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void A_name_Triton_cannot_use_is_refused_before_anything_is_written(string name)
    {
        using var model = new SmallCnn();

        Assert.Throws<ArgumentException>(() => model.ExportTritonModel(repository, name));
        Assert.Empty(Directory.EnumerateFileSystemEntries(repository));
    }

    public void Dispose() => Directory.Delete(repository, recursive: true);

    /// <summary>
    /// A parser for protobuf's text format, as much as Triton's configs use: scalar fields, nested messages in braces,
    /// repeated values and messages in brackets. Returns every scalar by its dotted path (repeated scalars joined with
    /// commas) and fails on anything it cannot parse.
    /// </summary>
    private static class TextFormat
    {
        private static readonly Regex Token = new(@"\s*(""[^""]*""|[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+(\.[0-9]+)?|[{}\[\]:,])", RegexOptions.Compiled);

        public static Dictionary<string, string> Parse(string text)
        {
            var tokens = new List<string>();
            int position = 0;
            while (position < text.Length && !string.IsNullOrWhiteSpace(text[position..]))
            {
                var match = Token.Match(text, position);
                Assert.True(match.Success && match.Index == position, $"cannot read the config at offset {position}: {text[position..]}");
                tokens.Add(match.Groups[1].Value);
                position = match.Index + match.Length;
            }
            var fields = new Dictionary<string, string>();
            int index = 0;
            Message(tokens, ref index, "", fields, end: null);
            Assert.Equal(tokens.Count, index);
            return fields;
        }

        private static void Message(List<string> tokens, ref int index, string prefix, Dictionary<string, string> fields, string? end)
        {
            while (index < tokens.Count && tokens[index] != end)
            {
                string name = tokens[index++];
                Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", name);
                string path = prefix + name;
                if (tokens[index] == ":")
                    index++;
                if (tokens[index] == "[")
                {
                    index++;
                    var values = new List<string>();
                    while (tokens[index] != "]")
                    {
                        if (tokens[index] == "{")
                        {
                            index++;
                            Message(tokens, ref index, path + ".", fields, "}");
                            index++;
                        }
                        else
                        {
                            values.Add(tokens[index++]);
                        }
                        if (tokens[index] == ",")
                            index++;
                    }
                    index++;
                    if (values.Count > 0)
                        fields[path] = string.Join(",", values);
                }
                else if (tokens[index] == "{")
                {
                    index++;
                    Message(tokens, ref index, path + ".", fields, "}");
                    Assert.Equal("}", tokens[index++]);
                }
                else
                {
                    fields[path] = tokens[index++];
                }
            }
        }
    }
}
