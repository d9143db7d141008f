namespace SlimGen.Generator.Shapes;

/// <summary>Overflow-checked arithmetic that reports instead of throwing.</summary>
internal static class Checked
{
    public static bool Add(long a, long b, out long result)
    {
        result = unchecked(a + b);
        return !((a ^ result) < 0 && (b ^ result) < 0);
    }

    public static bool Multiply(long a, long b, out long result)
    {
        result = 0;
        if (a == 0 || b == 0) return true;
        if (a > long.MaxValue / b) return false;
        result = a * b;
        return true;
    }
}
