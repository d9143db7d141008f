using System;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints;

/// <summary>
/// Freezes and unfreezes a model's parameters by scope, so that fine-tuning trains only part of a network (the head,
/// say, on top of pretrained convolutions). A frozen parameter has <c>requires_grad</c> false: backward computes no
/// gradient for it and optimizers leave it as it is. Scopes match whole path segments, as
/// <see cref="LoadOptions.ExcludeScopes"/> do: <c>fc8</c> holds <c>fc8.weight</c> but not <c>fc80.weight</c>.
/// </summary>
public static class ModelScopes
{
    /// <summary>Freezes the parameters under <paramref name="scopes"/>; the others keep their state.</summary>
    /// <param name="model">The model.</param>
    /// <param name="scopes">Scopes such as <c>conv1</c> or <c>conv5/conv5_3</c>.</param>
    /// <exception cref="ArgumentException">No scope is given, or a scope holds no parameter of the model.</exception>
    public static void Freeze(nn.Module model, params string[] scopes) => SetRequiresGrad(model, scopes, inScope => inScope ? false : null);

    /// <summary>Makes the parameters under <paramref name="scopes"/> trainable again; the others keep their state.</summary>
    /// <param name="model">The model.</param>
    /// <param name="scopes">Scopes such as <c>conv5</c> or <c>conv5/conv5_3</c>.</param>
    /// <exception cref="ArgumentException">No scope is given, or a scope holds no parameter of the model.</exception>
    public static void Unfreeze(nn.Module model, params string[] scopes) => SetRequiresGrad(model, scopes, inScope => inScope ? true : null);

    /// <summary>Freezes every parameter except those under <paramref name="trainableScopes"/>, which become trainable.</summary>
    /// <param name="model">The model.</param>
    /// <param name="trainableScopes">The scopes that train, such as <c>fc8</c> for a new head.</param>
    /// <exception cref="ArgumentException">No scope is given, or a scope holds no parameter of the model.</exception>
    public static void FreezeAllExcept(nn.Module model, params string[] trainableScopes) => SetRequiresGrad(model, trainableScopes, inScope => inScope);

    /// <summary>Makes every parameter of <paramref name="model"/> trainable.</summary>
    public static void UnfreezeAll(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var parameter in model.parameters())
            parameter.requires_grad = true;
    }

    // requiresGrad: whether a parameter in (true) or out of (false) the scopes should train; null leaves it as it is.
    private static void SetRequiresGrad(nn.Module model, string[] scopes, Func<bool, bool?> requiresGrad)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Length == 0)
            throw new ArgumentException("Name at least one scope.", nameof(scopes));

        var scopeSet = new ScopeSet(scopes);
        var parameters = model.named_parameters().ToList();
        var unmatched = scopeSet.Unmatched(parameters.Select(parameter => parameter.name));
        if (unmatched.Count > 0)
        {
            throw new ArgumentException(
                $"{model.GetName()} has no parameter under scope(s) {string.Join(", ", unmatched.Select(scope => $"'{scope}'"))}.", nameof(scopes));
        }
        foreach (var (name, parameter) in parameters)
        {
            if (requiresGrad(scopeSet.Contains(name)) is bool value)
                parameter.requires_grad = value;
        }
    }
}
