// Records in a netstandard2.0 assembly need this marker type.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
