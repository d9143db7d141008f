using System.Globalization;

namespace SlimGen.Generator.Model;

/// <summary>
/// How SlimGen writes numbers, in diagnostics and generated code alike: as a person writes them (<c>224</c>,
/// <c>0.0005</c>, <c>1e-5</c>), whatever the machine's culture.
/// </summary>
internal static class Numbers
{
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as <paramref name="value"/>, with a short exponent (<c>1e-5</c>, not <c>1E-05</c>).</summary>
    public static string Text(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        return e < 0 ? text : text.Substring(0, e) + "e" + int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A C# <c>double</c> expression for <paramref name="value"/>: <c>1.0</c>, <c>1e-5</c>, <c>double.NaN</c>.</summary>
    public static string DoubleLiteral(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsInfinity(value)) return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        var text = Text(value);
        return text.IndexOf('.') >= 0 || text.IndexOf('e') >= 0 ? text : text + ".0";
    }
}
