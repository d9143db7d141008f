namespace SlimGen.Generator.Model;

/// <summary>A type the model is nested in, as the generated half must repeat it: <c>partial {Keyword} {Name}</c>.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>interface</c>, <c>record</c> or <c>record struct</c>.</param>
internal sealed record ContainingType(string Keyword, string Name)
{
    public string Declaration => "partial " + Keyword + " " + Name;
}
