using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class ShapeGuardTests
{
    [Fact]
    public void Batch_OfDeclaredShape_Passes()
    {
        using var input = zeros(2, 3, 4, 4);

        ShapeGuard.CheckInput(input, [3, 4, 4], "Tiny");
    }

    [Fact]
    public void MissingBatchDimension_IsExplained()
    {
        using var input = zeros(3, 224, 224);

        var error = Assert.Throws<ShapeMismatchException>(() => ShapeGuard.CheckInput(input, [3, 224, 224], "Vgg16"));

        Assert.Equal(
            "Vgg16 expects input of shape [N, 3, 224, 224] but got [3, 224, 224]. " +
            "The batch dimension seems to be missing: for a single example pass input.unsqueeze(0).",
            error.Message);
        Assert.Equal("Vgg16", error.ModelName);
        Assert.Equal([-1L, 3, 224, 224], error.Expected);
        Assert.Equal([3L, 224, 224], error.Actual);
    }

    [Fact]
    public void WrongChannels_NameBothShapes_WithoutTheBatchHint()
    {
        using var input = zeros(8, 1, 224, 224);

        var error = Assert.Throws<ShapeMismatchException>(() => ShapeGuard.CheckInput(input, [3, 224, 224], "Vgg16"));

        Assert.Equal("Vgg16 expects input of shape [N, 3, 224, 224] but got [8, 1, 224, 224].", error.Message);
    }

    [Fact]
    public void FeatureVectors_AreCheckedToo()
    {
        using var batch = zeros(5, 16);
        using var single = zeros(16);

        ShapeGuard.CheckInput(batch, [16], "Mlp");
        var error = Assert.Throws<ShapeMismatchException>(() => ShapeGuard.CheckInput(single, [16], "Mlp"));

        Assert.Contains("input.unsqueeze(0)", error.Message);
    }

    [Fact]
    public void Float64Input_ForAFloat32Model_SaysHowToConvert()
    {
        using var input = zeros(2, 16, dtype: float64);
        using var parameter = zeros(4, 16);

        var error = Assert.Throws<ArgumentException>(() => ShapeGuard.CheckInput(input, [16], "Mlp", parameter));

        Assert.Equal(
            "Mlp holds float32 parameters on cpu but got float64 input on cpu. Convert the input with input.to(torch.float32), " +
            "or create the model with dtype: torch.float64. (Parameter 'input')",
            error.Message);
    }

    [Fact]
    public void ByteInput_IsToldToScaleToo()
    {
        using var input = zeros(2, 1, 28, 28, dtype: ScalarType.Byte);
        using var parameter = zeros(32, 1, 5, 5);

        var error = Assert.Throws<ArgumentException>(() => ShapeGuard.CheckInput(input, [1, 28, 28], "Cnn", parameter));

        Assert.StartsWith(
            "Cnn holds float32 parameters on cpu but got uint8 input on cpu. Convert the input with input.to(torch.float32) " +
            "(scaled as the model expects, e.g. / 255 for bytes).",
            error.Message);
    }

    [Fact]
    public void InputOnAnotherDevice_SaysWhereToMoveIt()
    {
        using var input = zeros(new long[] { 2, 16 }, device: META);
        using var parameter = zeros(4, 16);

        var error = Assert.Throws<ArgumentException>(() => ShapeGuard.CheckInput(input, [16], "Mlp", parameter));

        Assert.StartsWith(
            "Mlp holds float32 parameters on cpu but got float32 input on meta. Move the input with input.to(\"cpu\")",
            error.Message);
    }

    [Fact]
    public void MatchingTypeAndDevice_Pass()
    {
        using var input = zeros(2, 16);
        using var parameter = zeros(4, 16);

        ShapeGuard.CheckInput(input, [16], "Mlp", parameter);
    }
}
