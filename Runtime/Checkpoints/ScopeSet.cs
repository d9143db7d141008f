using System;
using System.Collections.Generic;
using System.Linq;

namespace SlimGen.Checkpoints;

/// <summary>
/// Scopes matched against state_dict keys by whole path segments, the one rule behind excluded scopes, freezing and
/// prefix name maps: <c>fc8</c> holds <c>fc8</c> and <c>fc8.weight</c> but not <c>fc80.weight</c> (the prefix test that
/// bit TF-Slim users). TF-Slim's <c>conv1/conv1_2</c> and the state_dict's <c>conv1.conv1_2</c> name the same scope.
/// </summary>
internal sealed class ScopeSet
{
    private readonly string[] scopes;

    public ScopeSet(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        this.scopes = scopes.Select(Normalize).Distinct(StringComparer.Ordinal).ToArray();
    }

    public bool Contains(string key) => scopes.Any(scope => Holds(scope, key));

    /// <summary>The scopes that hold none of <paramref name="keys"/>.</summary>
    public IReadOnlyList<string> Unmatched(IEnumerable<string> keys)
    {
        var keyList = keys.ToList();
        return scopes.Where(scope => !keyList.Any(key => Holds(scope, key))).ToList();
    }

    /// <summary>Whether <paramref name="key"/> is <paramref name="scope"/> itself or lies under it.</summary>
    public static bool Holds(string scope, string key) =>
        key.StartsWith(scope, StringComparison.Ordinal) && (key.Length == scope.Length || key[scope.Length] == '.');

    /// <summary>The scope in state_dict notation (dots), checked to be a path of non-empty names.</summary>
    /// <exception cref="ArgumentException">The scope is empty or has an empty segment, such as <c>conv1..x</c> or <c>fc8.</c>.</exception>
    public static string Normalize(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var path = scope.Replace('/', '.');
        if (path.Split('.').Any(segment => segment.Length == 0))
        {
            throw new ArgumentException(
                $"'{scope}' is not a scope: expected names separated by '.' or '/', such as 'fc8' or 'conv1/conv1_2'.", nameof(scope));
        }
        return path;
    }
}
