using SlimGen.Generator.Model;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>Numbers in messages and generated code read as a person writes them.</summary>
public class NumbersTests
{
    [Theory]
    [InlineData(1e-5, "1e-5", "1e-5")]
    [InlineData(0.0005, "0.0005", "0.0005")]
    [InlineData(-2.5e-7, "-2.5e-7", "-2.5e-7")]
    [InlineData(1e20, "1e20", "1e20")]
    [InlineData(1.0, "1", "1.0")]
    [InlineData(0.5, "0.5", "0.5")]
    [InlineData(double.NaN, "NaN", "double.NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity", "double.NegativeInfinity")]
    public void Doubles_are_short_and_literals_are_CSharp(double value, string text, string literal)
    {
        Assert.Equal(text, Numbers.Text(value));
        Assert.Equal(literal, Numbers.DoubleLiteral(value));
    }

    [Fact]
    public void Messages_write_numbers_the_same_way()
    {
        var diagnostics = ModelAnalysis.Messages("""
            using SlimGen;
            [SlimModel(16)]
            [FullyConnected(4, WeightDecay = -1e-5)]
            public partial class Net { }
            """);

        Assert.Equal(["'fully_connected' has WeightDecay = -1e-5, but it must be a finite number, zero or more"], diagnostics);
    }
}
