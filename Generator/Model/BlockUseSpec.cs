namespace SlimGen.Generator.Model;

/// <summary>A use of a block: which block (resolved when the model is checked), with which arguments and stride.</summary>
/// <param name="TypeName">The block class, fully qualified with <c>global::</c>.</param>
internal sealed record BlockUseSpec(string TypeName, string ClassName, EquatableArray<int> Arguments, int Stride);
