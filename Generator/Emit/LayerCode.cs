using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Emit;

/// <summary>The C# that builds a layer, shared by models and blocks.</summary>
internal static class LayerCode
{
    public const string Layers = "global::SlimGen.Layers";

    /// <summary>The field's type: SlimGen's layer, or the block's class.</summary>
    public static string TypeOf(LayerSpec layer) => layer.Block is { } block ? block.TypeName : Layers + "." + layer.Op;

    /// <summary>
    /// A field name: the name, with <c>@</c> when that is a C# keyword (<c>Scope = "out"</c> names the field
    /// <c>@out</c> and the state_dict key <c>out</c>).
    /// </summary>
    public static string Field(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>
    /// Named constructor arguments, only what the layer uses as it resolved: a normalizer replaces the bias, and the
    /// stddev scales only the initializers that take a scale (the bias's too).
    /// </summary>
    /// <param name="inputs">C# for the layer's input channels (or features).</param>
    /// <param name="size">C# for its filters or units.</param>
    /// <param name="stride">C# for its stride, when it takes the block's.</param>
    public static List<string> ConstructorArguments(LayerSpec layer, string inputs, string size, string? stride = null)
    {
        string Enum(string type, object value) => $"global::SlimGen.{type}.{value}";
        var args = new List<string>();
        switch (layer.Op)
        {
            case Op.Conv2d:
                args.Add($"inChannels: {inputs}");
                args.Add($"outChannels: {size}");
                AddWindow();
                AddWeighted();
                break;
            case Op.DepthwiseConv2d:
                args.Add($"inChannels: {inputs}");
                args.Add($"multiplier: {layer.Multiplier}");
                AddWindow();
                AddWeighted();
                break;
            case Op.FullyConnected:
                args.Add($"inFeatures: {inputs}");
                args.Add($"outFeatures: {size}");
                AddWeighted();
                break;
            case Op.MaxPool2d:
            case Op.AvgPool2d:
                AddWindow();
                break;
            case Op.Dropout:
                args.Add($"rate: {layer.Parameter ?? Numbers.DoubleLiteral(layer.Rate)}");
                break;
            case Op.LocalResponseNorm:
                var lrn = layer.ResponseNormalization!;
                args.Add($"depthRadius: {Numbers.Text(lrn.DepthRadius)}");
                args.Add($"bias: {Numbers.DoubleLiteral(lrn.Bias)}");
                args.Add($"alpha: {Numbers.DoubleLiteral(lrn.Alpha)}");
                args.Add($"beta: {Numbers.DoubleLiteral(lrn.Beta)}");
                break;
            case Op.BatchNorm:
                args.Add($"numFeatures: {inputs}");
                var normalization = layer.Normalization!;
                args.Add($"epsilon: {Numbers.DoubleLiteral(normalization.Epsilon)}");
                args.Add($"momentum: {Numbers.DoubleLiteral(normalization.Momentum)}");
                if (!normalization.Scale) args.Add("scale: false");
                args.Add($"activation: {Enum("Act", normalization.Activation)}");
                args.Add("device: device, dtype: dtype");
                break;
        }
        return args;

        void AddWindow()
        {
            var window = layer.Window!;
            args.Add($"kernelSize: {Pair(window.KernelHeight, window.KernelWidth)}");
            args.Add($"stride: {(window.Strided && stride is not null ? stride : Numbers.Text(window.Stride))}");
            args.Add($"padding: {Enum("Pad", window.Padding)}");
            if (window.Padding == Pad.Symmetric && window.PaddingSize >= 0) args.Add($"paddingSize: {window.PaddingSize}");
            if (window.Dilation != 1) args.Add($"dilation: {window.Dilation}");
            if (layer.Groups != 1) args.Add($"groups: {layer.Groups}");
        }

        void AddWeighted()
        {
            var weights = layer.Weights!;
            args.Add($"activation: {Enum("Act", weights.Activation)}");
            args.Add($"useBias: {(weights.HasBias ? "true" : "false")}");
            args.Add($"normalizer: {Enum("Norm", weights.Normalizer)}");
            if (weights.BatchNorm is { } batchNorm && !IsDefault(batchNorm))
            {
                args.Add($"batchNorm: new {Layers}.BatchNormOptions(Epsilon: {Numbers.DoubleLiteral(batchNorm.Epsilon)}, " +
                    $"Momentum: {Numbers.DoubleLiteral(batchNorm.Momentum)}, Scale: {(batchNorm.Scale ? "true" : "false")})");
            }
            args.Add($"weightsInit: {Enum("Init", weights.WeightsInit)}");
            if (IsScaled(weights.WeightsInit) || weights.HasBias && IsScaled(weights.BiasInit))
            {
                args.Add($"weightsStddev: {Numbers.DoubleLiteral(weights.WeightsStddev)}");
            }
            if (weights.HasBias)
            {
                args.Add($"biasInit: {Enum("Init", weights.BiasInit)}");
                if (weights.BiasInit == Init.Constant) args.Add($"biasValue: {Numbers.DoubleLiteral(weights.BiasValue)}");
            }
            args.Add("device: device, dtype: dtype");
        }

        static bool IsScaled(Init init) => init is Init.Normal or Init.TruncatedNormal or Init.Uniform;

        static bool IsDefault(NormalizationSpec batchNorm) =>
            batchNorm.Epsilon == LayerDefaults.BatchNormEpsilon && batchNorm.Momentum == LayerDefaults.BatchNormMomentum && batchNorm.Scale;
    }

    /// <summary>A square size as one number (<c>3</c>), otherwise as a tuple (<c>(1, 7)</c>).</summary>
    private static string Pair(int height, int width) => height == width ? Numbers.Text(height) : $"({Numbers.Text(height)}, {Numbers.Text(width)})";
}
