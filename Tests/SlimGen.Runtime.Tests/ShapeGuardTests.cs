using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests
{
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
    }
}
