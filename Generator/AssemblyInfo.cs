using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SlimGen.Generator.Tests")]
