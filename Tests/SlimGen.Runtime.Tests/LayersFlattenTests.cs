using System.Linq;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersFlattenTests
{
    [Fact]
    public void Flatten_KeepsBatch_AndUsesChannelMajorOrder()
    {
        using var flatten = new Flatten();
        using var input = arange(0, 24, ScalarType.Float32).reshape(2, 3, 2, 2);

        using var output = flatten.call(input);

        // [n, c, h, w] lands at column c*4 + h*2 + w: channel-major, as PyTorch flattens.
        Assert.Equal([2L, 12], output.shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), output.data<float>().ToArray());
    }
}
