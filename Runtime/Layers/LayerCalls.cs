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

    /// <summary>
    /// A residual block's end: adds <paramref name="shortcut"/> to <paramref name="output"/> in place, then applies the
    /// activation in place where autograd allows it (as torchvision's <c>out += identity; out = relu(out)</c>). The
    /// generated block calls it only on an output that is its own and that no op saved for backward: that of a
    /// convolution, dense layer or batch norm without an activation, or of a concat.
    /// </summary>
    /// <param name="output">The block body's output, a fresh tensor owned by the forward pass.</param>
    /// <param name="shortcut">The shortcut's output, of the same shape.</param>
    /// <param name="activation">The activation after the add.</param>
    /// <returns><paramref name="output"/>, updated, or a new tensor for the activations that cannot run in place.</returns>
    [DebuggerStepThrough]
    public static Tensor AddAndActivate(this Tensor output, Tensor shortcut, Act activation) =>
        LayerTensors.ActivateFresh(output.add_(shortcut), activation);
}
