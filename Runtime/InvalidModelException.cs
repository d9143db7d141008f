using System;
using System.Collections.Generic;

namespace SlimGen;

/// <summary>
/// Thrown by every member of a model whose attributes have SLIM errors. SlimGen still writes the model's
/// constructor, <c>forward</c>, <c>Summary</c> and the rest, so that the code using the model compiles and the SLIM
/// diagnostics are the build's only errors; running any of them throws this, naming those errors.
/// </summary>
public sealed class InvalidModelException : InvalidOperationException
{
    /// <summary>Creates the exception and its message.</summary>
    /// <param name="modelName">The model whose attributes have the errors.</param>
    /// <param name="errors">The SLIM errors, each written as <c>SLIM003: message</c>.</param>
    public InvalidModelException(string modelName, params string[] errors)
        : base($"{modelName} cannot run: its SlimGen attributes have errors, which the build reports where they are."
            + string.Concat(Array.ConvertAll(errors, error => Environment.NewLine + error)))
    {
        ModelName = modelName;
        Errors = errors;
    }

    /// <summary>The model whose attributes have the errors.</summary>
    public string ModelName { get; }

    /// <summary>The SLIM errors, each written as <c>SLIM003: message</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
