using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>Construction and forward helpers shared by the layers.</summary>
internal static class LayerTensors
{
    /// <summary>Returns <paramref name="layerDefault"/> for <see cref="Init.Default"/>, otherwise <paramref name="init"/>.</summary>
    public static Init Or(this Init init, Init layerDefault) => init == Init.Default ? layerDefault : init;

    /// <summary>
    /// A new trainable tensor filled by <paramref name="init"/> (with <paramref name="stddev"/> or
    /// <paramref name="value"/> where it takes one), owned by its module rather than by a dispose scope that happens
    /// to be open while the model is built.
    /// </summary>
    public static Parameter NewParameter(long[] shape, Init init, double stddev, double? value, Device? device, ScalarType? dtype)
    {
        var parameter = new Parameter(empty(shape, dtype, device));
        parameter.DetachFromDisposeScope();
        Initializers.Initialize(parameter, init, stddev, value);
        return parameter;
    }

    /// <summary>Takes <paramref name="tensor"/> out of any open dispose scope: its module owns it.</summary>
    public static Tensor NewBuffer(Tensor tensor) => tensor.DetachFromDisposeScope();

    /// <summary>
    /// Tells TorchSharp where the constructor put the module's tensors; no data moves. A custom module records CPU
    /// until told otherwise, and <c>Module.to(device)</c> does nothing when the recorded device already equals the
    /// target, so a layer built on CUDA would otherwise ignore a later <c>to(CPU)</c>.
    /// </summary>
    public static void RecordDevice(nn.Module module, Device? device) => module.to(device ?? get_default_device());

    /// <summary>
    /// Applies <paramref name="op"/> and disposes <paramref name="input"/> when a new tensor came back: a layer's
    /// intermediates are freed at once instead of when the caller's dispose scope ends (autograd holds its own
    /// references to what backward needs).
    /// </summary>
    public static Tensor Then(this Tensor input, Func<Tensor, Tensor> op)
    {
        var output = op(input);
        if (!ReferenceEquals(output, input))
            input.Dispose();
        return output;
    }

    /// <summary>
    /// Applies <paramref name="activation"/> to a tensor the layer has just created and nobody else has seen (the
    /// output of its convolution, product or normalizer), in place where autograd allows it: for these activations
    /// backward needs only the result, and none of the ops that made the tensor saved it. In place saves a full-size
    /// allocation and a pass over memory per layer; the other activations fall back to <see cref="Activations.Apply"/>.
    /// </summary>
    public static Tensor ActivateFresh(Tensor fresh, Act activation) => activation switch
    {
        Act.Relu => fresh.relu_(),
        Act.Relu6 => fresh.relu6_(),
        Act.LeakyRelu => fresh.leaky_relu_(Activations.LeakyReluSlope),
        Act.Sigmoid => fresh.sigmoid_(),
        Act.Tanh => fresh.tanh_(),
        _ => fresh.Then(x => Activations.Apply(x, activation)),
    };
}
