using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SlimGen.Checkpoints;
using static TorchSharp.torch;

namespace SlimGen.Zoo;

/// <summary>
/// torchvision's weights for the zoo's ResNet, GoogLeNet, Inception V3, MobileNet v2 and AlexNet. The zoo keeps torchvision's layout
/// (strides, paddings, channel counts), so the weights fit as they are; the maps only rename. Where torchvision nests a
/// convolution and its batch norm side by side (<c>bn1</c>, <c>downsample.1</c>, <c>conv.1.1</c>), SlimGen keeps the batch
/// norm inside the convolution (<c>conv1.bn</c>); repeated units count from 1 (<c>layer1.layer1_1</c> for
/// <c>layer1.0</c>).
/// </summary>
public static class TorchVisionModels
{
    /// <summary>Units per stage of MobileNet v2 after its first unit (torchvision's inverted_residual_setting).</summary>
    private static readonly int[] MobileNetV2Units = [2, 3, 4, 3, 3, 1];

    /// <summary>torchvision's <c>resnet18</c>, <c>resnet34</c>, <c>resnet50</c>, <c>resnext50_32x4d</c>... keys to the zoo's ResNet keys.</summary>
    public static NameMap ResNet { get; } = NameMap.FromFunction(key =>
    {
        if (key.StartsWith("bn1.", StringComparison.Ordinal)) return "conv1.bn." + key["bn1.".Length..];
        var unit = Regex.Match(key, @"^(layer\d+)\.(\d+)\.(.+)$");
        if (!unit.Success) return key;
        var prefix = $"{unit.Groups[1].Value}.{unit.Groups[1].Value}_{Next(unit.Groups[2].Value)}.";
        var rest = unit.Groups[3].Value;
        rest = Regex.Replace(rest, @"^bn(\d+)\.", "conv$1.bn.");
        rest = Regex.Replace(rest, @"^downsample\.0\.", "shortcut.");
        rest = Regex.Replace(rest, @"^downsample\.1\.", "shortcut.bn.");
        return prefix + rest;
    });

    /// <summary>torchvision's <c>googlenet</c> keys (without the auxiliary heads) to the zoo's <see cref="GoogLeNet"/> keys.</summary>
    public static NameMap GoogLeNet { get; } = NameMap.FromFunction(key =>
    {
        // BasicConv2d: 'path[.i].conv.weight' and 'path[.i].bn.*'; a branch's i-th layer is 'conv_i', branch1's only one 'conv'.
        var basic = Regex.Match(key, @"^(?<path>.+?)(\.(?<i>\d))?\.(?<kind>conv|bn)\.(?<leaf>.+)$");
        if (!basic.Success) return key;
        var path = basic.Groups["path"].Value;
        var layer = basic.Groups["i"].Success ? path + ".conv_" + basic.Groups["i"].Value
            : path.EndsWith("branch1", StringComparison.Ordinal) ? path + ".conv"
            : path;
        return layer + (basic.Groups["kind"].Value == "bn" ? ".bn." : ".") + basic.Groups["leaf"].Value;
    });

    /// <summary>
    /// torchvision's <c>inception_v3</c> keys (without the auxiliary head) to the zoo's <see cref="InceptionV3"/> keys:
    /// a block's <c>branch5x5_1</c> sits in the branch <c>branch5x5</c>, and InceptionE's <c>branch3x3_2a</c> and
    /// <c>_2b</c> are the branches <c>a</c> and <c>b</c> of the split block <c>branch3x3_2</c>.
    /// </summary>
    public static NameMap InceptionV3 { get; } = NameMap.FromFunction(key =>
    {
        // BasicConv2d: 'path.conv.weight' and 'path.bn.*'.
        var basic = Regex.Match(key, @"^(?<path>.+)\.(?<kind>conv|bn)\.(?<leaf>[^.]+)$");
        if (!basic.Success) return key;
        var path = basic.Groups["path"].Value;
        var inBlock = Regex.Match(path, @"^(?<block>Mixed_\w+)\.(?<layer>(?<branch>branch\w*?)(_\d+)?)(?<split>(?<=_\d+)[ab])?$");
        if (inBlock.Success)
        {
            path = $"{inBlock.Groups["block"].Value}.{inBlock.Groups["branch"].Value}.{inBlock.Groups["layer"].Value}";
            if (inBlock.Groups["split"].Success) path += "." + inBlock.Groups["split"].Value + ".conv";
        }
        return path + (basic.Groups["kind"].Value == "bn" ? ".bn." : ".") + basic.Groups["leaf"].Value;
    });

    /// <summary>torchvision's <c>mobilenet_v2</c> keys to the zoo's <see cref="MobileNetV2"/> keys.</summary>
    public static NameMap MobileNetV2 { get; } = NameMap.FromFunction(key =>
    {
        if (key.StartsWith("classifier.1.", StringComparison.Ordinal)) return "Logits." + key["classifier.1.".Length..];
        var feature = Regex.Match(key, @"^features\.(\d+)\.(.+)$");
        if (!feature.Success) return key;
        int index = int.Parse(feature.Groups[1].Value, CultureInfo.InvariantCulture);
        var rest = feature.Groups[2].Value;
        if (index == 0 || index == MobileNetV2Units.Sum() + 2)
            return (index == 0 ? "Conv" : "Conv_1") + Layer(rest, "0", "1", "");
        if (index == 1)
            return "expanded_conv" + Rename(rest, ("conv.0.0.", ".depthwise."), ("conv.0.1.", ".depthwise.bn."), ("conv.1.", ".project."), ("conv.2.", ".project.bn."));
        // Units 2.. fill the stages in order.
        int unit = index - 2, stage = 0;
        while (unit >= MobileNetV2Units[stage]) unit -= MobileNetV2Units[stage++];
        var scope = $"stage{stage + 2}.stage{stage + 2}_{unit + 1}";
        return scope + Rename(rest, ("conv.0.0.", ".expand."), ("conv.0.1.", ".expand.bn."), ("conv.1.0.", ".depthwise."),
            ("conv.1.1.", ".depthwise.bn."), ("conv.2.", ".project."), ("conv.3.", ".project.bn."));

        static string Layer(string rest, string conv, string bn, string name) =>
            Rename(rest, ($"{conv}.", name + "."), ($"{bn}.", name + ".bn."));
    });

    /// <summary>torchvision's <c>alexnet</c> keys to the zoo's <see cref="AlexNet"/> keys.</summary>
    public static NameMap AlexNet { get; } = NameMap.FromPrefixes(new System.Collections.Generic.Dictionary<string, string>
    {
        ["features.0"] = "conv1",
        ["features.3"] = "conv2",
        ["features.6"] = "conv3",
        ["features.8"] = "conv4",
        ["features.10"] = "conv5",
        ["classifier.1"] = "fc6",
        ["classifier.4"] = "fc7",
        ["classifier.6"] = "fc8",
    });

    /// <summary>
    /// Loads torchvision's weights for this model: its published <c>.pth</c> file as it is (the zip or a legacy
    /// <c>torch.save</c> format), or the weights re-saved as safetensors.
    /// </summary>
    /// <param name="model">A zoo model in torchvision's layout (<see cref="ResNet50"/>, <see cref="GoogLeNet"/>...).</param>
    /// <param name="path">The weights file.</param>
    /// <param name="options">Strictness and excluded scopes in SlimGen's names (<c>ExcludeScopes = ["fc"]</c> for a new head).</param>
    /// <returns>What was loaded and, for a non-strict load, what did not match.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a name map of its own.</exception>
    /// <exception cref="CheckpointException">The file is invalid, or does not fit in a strict load; the model is unchanged.</exception>
    public static LoadReport LoadTorchVisionWeights<TModel>(this TModel model, string path, LoadOptions? options = null)
        where TModel : nn.Module, ITorchVisionModel
    {
        options ??= new LoadOptions();
        if (options.NameMap is not null)
            throw new ArgumentException("The torchvision name map replaces LoadOptions.NameMap; leave it null.", nameof(options));
        return Checkpoint.Load(model, path, options with { NameMap = TModel.TorchVisionNames });
    }

    private static string Next(string index) => (int.Parse(index, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private static string Rename(string rest, params (string From, string To)[] renames)
    {
        foreach (var (from, to) in renames)
        {
            if (rest.StartsWith(from, StringComparison.Ordinal)) return to + rest[from.Length..];
        }
        return "." + rest;
    }
}

/// <summary>A zoo model whose weights torchvision publishes: the map from torchvision's keys to the model's.</summary>
public interface ITorchVisionModel
{
    /// <summary>torchvision's keys to the model's.</summary>
    static abstract NameMap TorchVisionNames { get; }
}

public sealed partial class ResNet18 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.ResNet;
}

public sealed partial class ResNet50 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.ResNet;
}

public sealed partial class ResNeXt50 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.ResNet;
}

public sealed partial class GoogLeNet : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.GoogLeNet;
}

public sealed partial class InceptionV3 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.InceptionV3;
}

public sealed partial class MobileNetV2 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.MobileNetV2;
}

public sealed partial class AlexNet : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionModels.AlexNet;
}
