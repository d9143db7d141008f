using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersActivationTests
{
    private const string File = "activations.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    [Fact]
    public void Fixture_CoversEveryActivation()
    {
        Assert.Equal(Enum.GetNames<Act>().Order(), LayerFixtures.Names(File).Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_MatchesFormula(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");

        using var output = Activations.Apply(input, Enum.Parse<Act>(name));

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Fact]
    public void None_ReturnsTheInputItself()
    {
        using var input = ones(2, 2);

        Assert.Same(input, Activations.Apply(input, Act.None));
    }

    [Fact]
    public void UndefinedActivation_IsRejected()
    {
        using var input = ones(2, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Apply(input, (Act)99));
    }
}
