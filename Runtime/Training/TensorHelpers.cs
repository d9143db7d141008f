using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Training;

internal static class TensorHelpers
{
    /// <summary>The device of the module's first parameter (the CPU for a module without parameters).</summary>
    public static Device DeviceOf(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>
    /// Reads a one-element tensor of any floating-point type on any device (<c>item&lt;T&gt;</c> needs the exact
    /// type). The conversion is a tensor in the caller's dispose scope.
    /// </summary>
    public static double ReadScalar(Tensor scalar) => scalar.to_type(ScalarType.Float64).item<double>();
}
