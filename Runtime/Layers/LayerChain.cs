using System.ComponentModel;
using static TorchSharp.torch;

namespace SlimGen.Layers
{
    /// <summary>What a generated <c>forward</c> calls between its layers.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public static class LayerChain
    {
        /// <summary>
        /// Calls <paramref name="layer"/> on <paramref name="x"/>, then frees <paramref name="x"/> unless the layer returned
        /// it, as TorchSharp's <c>Sequential</c> does: a forward pass holds two activations at a time instead of all of them
        /// until it returns. Autograd keeps its own references to what backward needs, so training is unaffected.
        /// </summary>
        /// <param name="layer">The next layer.</param>
        /// <param name="x">The previous layer's output, owned by the forward pass (never the caller's input).</param>
        /// <returns>The layer's output.</returns>
        public static Tensor Next(nn.Module<Tensor, Tensor> layer, Tensor x) => x.Then(layer.call);
    }
}
