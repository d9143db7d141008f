// Also compiled into the generator, where it is internal (SLIMGEN_GENERATOR), so that the generator names these
// attributes and their properties with nameof.
using System;

namespace SlimGen;

/// <summary>
/// Marks a <c>partial</c> class as a SlimGen model. The generator reads the layer attributes on the
/// same declaration in source order and writes the rest of the class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class SlimModelAttribute : Attribute
{
    /// <param name="inputShape">Per-example input shape, batch excluded: <c>(3, 224, 224)</c> for images, <c>(16)</c> for vectors.</param>
    public SlimModelAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>Per-example input shape, batch excluded.</summary>
    public int[] InputShape { get; }

    /// <summary>
    /// Optional per-example output shape the model must produce, checked at compile time
    /// (for example <c>OutputShape = new[] { 1000 }</c>).
    /// </summary>
    public int[]? OutputShape { get; set; }

    /// <summary>
    /// Accept any height and width at least as large as the model's minimum (computed at compile time), for fully
    /// convolutional models and models with global pooling. The declared height and width are then an example size,
    /// at which the summary counts MACs and activations; its shapes read <c>ceil(H/32)</c>. A dense layer must then
    /// follow a global pool, since a flattened size would depend on the input.
    /// </summary>
    public bool VariableSize { get; set; }
}

/// <summary>
/// Default arguments for the listed ops (TF-Slim's <c>arg_scope</c>). On a model class, later scopes
/// override earlier ones; on a class named by <see cref="UseArgScopeAttribute"/> or on the assembly
/// they give lower-priority defaults. An explicit layer argument always wins.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class ArgScopeAttribute : Attribute
{
    /// <param name="ops">The ops the keys apply to.</param>
    public ArgScopeAttribute(params Op[] ops) => Ops = ops;

    /// <summary>The ops the keys apply to.</summary>
    public Op[] Ops { get; }

    /// <summary>Activation after the layer.</summary>
    public Act Activation { get; set; }
    /// <summary>Padding scheme of convolutions and pools.</summary>
    public Pad Padding { get; set; }
    /// <summary>Stride of convolutions and pools.</summary>
    public int Stride { get; set; }
    /// <summary>Weight initializer.</summary>
    public Init WeightsInit { get; set; }
    /// <summary>Standard deviation (or half range) of the Normal, TruncatedNormal and Uniform initializers.</summary>
    public double WeightsStddev { get; set; }
    /// <summary>Bias initializer.</summary>
    public Init BiasInit { get; set; }
    /// <summary>The value of <see cref="Init.Constant"/> biases.</summary>
    public double BiasValue { get; set; }
    /// <summary>L2 weight decay: adds <c>decay * sum(w^2) / 2</c> to the regularization loss.</summary>
    public double WeightDecay { get; set; }
    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; set; }
    /// <summary>Normalizer between the linear part and the activation.</summary>
    public Norm Normalizer { get; set; }
    /// <summary>Batch norm (layers and normalizers): added to the variance (PyTorch 1e-5; TF-Slim 0.001).</summary>
    public double Epsilon { get; set; }
    /// <summary>Batch norm: running-statistics update factor (PyTorch 0.1; TF-Slim's decay 0.997 is 0.003).</summary>
    public double Momentum { get; set; }
    /// <summary>Batch norm: whether it learns a scale (PyTorch true; TF-Slim false).</summary>
    public bool Scale { get; set; }
}

/// <summary>Applies the <see cref="ArgScopeAttribute"/>s declared on another class (a reusable scope).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class UseArgScopeAttribute : Attribute
{
    /// <param name="scopeType">A class carrying <see cref="ArgScopeAttribute"/>s.</param>
    public UseArgScopeAttribute(Type scopeType) => ScopeType = scopeType;

    /// <summary>The class whose arg scopes apply.</summary>
    public Type ScopeType { get; }
}
