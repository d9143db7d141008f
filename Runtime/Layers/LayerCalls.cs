using System.ComponentModel;
using System.Diagnostics;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>What a generated <c>forward</c> calls between its layers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerCalls
{
    /// <summary>
    /// Calls <paramref name="layer"/> on <paramref name="input"/>, then frees <paramref name="input"/> unless the layer
    /// returned it, as TorchSharp's <c>Sequential</c> does: a forward pass holds two activations at a time instead of
    /// all of them until it returns. Autograd keeps its own references to what backward needs, so training is
    /// unaffected. Stepping into it in the debugger lands in the layer's <c>forward</c>.
    /// </summary>
    /// <param name="layer">The next layer.</param>
    /// <param name="input">The previous layer's output, owned by the forward pass (never the caller's input).</param>
    /// <returns>The layer's output.</returns>
    [DebuggerStepThrough]
    public static Tensor CallAndFreeInput(this nn.Module<Tensor, Tensor> layer, Tensor input)
    {
        var output = layer.call(input);
        if (!ReferenceEquals(output, input))
            input.Dispose();
        return output;
    }
}
