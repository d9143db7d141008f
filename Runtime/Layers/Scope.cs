using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// A TF-Slim variable scope: a container whose only job is to nest its children's state_dict keys, so that layer
/// <c>conv1_2</c> registered in scope <c>conv1</c> owns <c>conv1.conv1_2.weight</c>. It has no forward; the
/// generated model calls the layers itself.
/// </summary>
public sealed class Scope : nn.Module
{
    /// <summary>Creates the scope and registers each child under its name.</summary>
    /// <param name="children">The children, with their names inside the scope (no dots).</param>
    /// <exception cref="ArgumentException">A name is empty or contains a dot.</exception>
    /// <exception cref="InvalidOperationException">Two children have the same name.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public Scope(params (string Name, nn.Module Module)[] children)
        : base(SlimRuntime.InitializeFor(nameof(Scope)))
    {
        ArgumentNullException.ThrowIfNull(children);
        foreach (var (name, module) in children)
            register_module(name, module);
    }
}
