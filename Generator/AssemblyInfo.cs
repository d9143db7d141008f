using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SlimGen.Generator.Tests")]
[assembly: InternalsVisibleTo("SlimGen.Generator.CodeFixes")]
