using System.Collections.Generic;

namespace SlimGen.Checkpoints;

/// <summary>How <see cref="Checkpoint.Load"/> matches a checkpoint's tensors to a model's state_dict.</summary>
public sealed record LoadOptions
{
    /// <summary>
    /// When true (the default), any missing, unexpected or mis-shaped key fails the whole load with a
    /// <see cref="CheckpointException"/> that lists them all, and the model is left untouched. When false, the tensors
    /// that fit are loaded and the <see cref="LoadReport"/> lists the rest.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Renames checkpoint keys into the model's keys before matching; null keeps the checkpoint's names. A
    /// <c>Func&lt;string, string&gt;</c> or a <c>Dictionary&lt;string, string&gt;</c> of scope renames converts to one.
    /// </summary>
    public NameMap? NameMap { get; init; }

    /// <summary>
    /// Scopes, in the model's naming, to leave as they are: restore everything but these, as when fine-tuning
    /// <c>Vgg16(numClasses: 10)</c> from ImageNet weights with <c>["fc8"]</c>. Matching is by whole path segment:
    /// <c>fc8</c> excludes <c>fc8.weight</c> but not <c>fc80.weight</c>; <c>conv5/conv5_3</c> and <c>conv5.conv5_3</c>
    /// are the same scope. A scope that matches no key of the model or the checkpoint is a problem, like a missing key.
    /// </summary>
    public IReadOnlyList<string> ExcludeScopes { get; init; } = [];
}
