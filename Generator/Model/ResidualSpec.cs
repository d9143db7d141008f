namespace SlimGen.Generator.Model;

/// <summary>A residual block's add: its shortcut, the activation after it, pre-activation.</summary>
/// <param name="Projection">The 1x1 convolution a projection shortcut uses, as the block's arg scopes resolve it.</param>
internal sealed record ResidualSpec(SourceRef Source, Shortcut Shortcut, Act Activation, bool Preactivation, LayerSpec Projection);
