using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Diagnostics;

/// <summary>Every diagnostic SlimGen reports. Errors are for models that cannot run; warnings for legal but suspicious ones.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// docs/diagnostics.md in the repository the package names: the build writes RepositoryUrl (Directory.Build.props)
    /// into the assembly's metadata. Declared before the descriptors, whose initializers use it.
    /// </summary>
    public static readonly string DiagnosticsDocument =
        typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false)
            .OfType<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/')
        + "/blob/main/docs/diagnostics.md";

    private const string ShapeCategory = "SlimGen.Shapes";
    private const string ModelCategory = "SlimGen.Model";

    /// <summary>
    /// Diagnostic property with <see cref="ModelDiagnostic.Suggestion"/>: the value a code fix writes at the
    /// diagnostic's location (SLIM004: a free scope name).
    /// </summary>
    public const string SuggestionProperty = "SlimGen.Suggestion";

    // Ids with one descriptor per problem share their title (and a message prefix).
    private const string UnsupportedClassTitle = "Unsupported model class";
    private const string UnsupportedClassMessage = "'{0}' cannot be a SlimGen model: ";
    private const string UnusableNameTitle = "Unusable scope or parameter name";
    private const string WrongArgumentsTitle = "Wrong layer arguments";
    private const string DoesNothingTitle = "Layer does nothing";

    public static readonly DiagnosticDescriptor SpatialSizeBelowOne = Error(
        "SLIM001", ShapeCategory, "Spatial size below 1",
        "'{0}' would reduce the spatial size to {1} (input {2}, kernel {3}, stride {4}); use Padding = Pad.Same, a kernel of at most {5}, or remove the layer",
        "A pool with Pad.Valid whose window is larger than its input would produce an empty tensor.");

    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
        "SLIM002", ShapeCategory, "Kernel larger than a VALID input",
        "'{0}' has a {1} kernel, larger than its {2} input {3} with Pad.Valid; use Padding = Pad.Same or a kernel of at most {4}",
        "A convolution with Pad.Valid needs its kernel to fit in the input.");

    public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(
        "SLIM003", ShapeCategory, "Dense layer on an unflattened tensor",
        "'{0}' is a dense layer, but its input {1} has rank {2}; insert [Flatten] before it",
        "A dense layer works on a flat vector per example; SlimGen never flattens implicitly.");

    public static readonly DiagnosticDescriptor DuplicateScope = Error(
        "SLIM004", ModelCategory, "Duplicate scope name",
        "Scope '{0}' is already taken: {1}; scopes name fields and state_dict keys, so use a unique one such as '{2}'",
        "Scopes name the fields of the generated class and the state_dict keys, so each name may be used once.");

    public static readonly DiagnosticDescriptor InvalidNumber = Error(
        "SLIM005", ModelCategory, "Invalid number",
        "{0} has {1} = {2}, but it must be {3}",
        "A size, kernel, stride, count or scale outside the range a layer can run with.");

    public static readonly DiagnosticDescriptor InvalidDropoutRate = Error(
        "SLIM005", ModelCategory, "Invalid number",
        "{0} has rate = {1}, but it must be in [0, 1): it is the drop probability",
        "A dropout rate is the probability of dropping a value (PyTorch's p, TF-Slim's 1 - keep_prob), below 1.");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        "SLIM005", ModelCategory, "Invalid number",
        "{0} has {1} = {2}, but it must be one of {3}",
        "An enum value without a name, such as (Act)42, means nothing to any layer.");

    public static readonly DiagnosticDescriptor BiasInitWithFans = Error(
        "SLIM005", ModelCategory, "Invalid number",
        "{0} has {1} = {2}, but it must be one that needs no fan-in, since a bias has one dimension: {3}",
        "Xavier and He initializers scale by fan-in and fan-out, which a one-dimensional bias does not have.");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error(
        "SLIM006", ShapeCategory, "Invalid input shape",
        "'{0}' declares the input shape {1}, which is invalid: {2}",
        "[SlimModel] takes the per-example input shape, batch excluded; every dimension must be at least 1.");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "SLIM007", ModelCategory, "Model class must be partial",
        "'{0}' must be declared partial so that SlimGen can write the rest of it; add the partial modifier",
        "The generator writes the other half of the class, which needs a partial class.");

    public static readonly DiagnosticDescriptor RecordModel = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "a record cannot derive from TorchSharp's Module; declare it as a partial class",
        "A model derives from TorchSharp's Module, a class; a record cannot.");

    public static readonly DiagnosticDescriptor GenericModel = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "generic classes are not supported because the layers and shapes must be known at compile time; remove the type parameters",
        "The layers and shapes of a model are fixed at compile time, so a type parameter could not change them.");

    public static readonly DiagnosticDescriptor StaticOrAbstractModel = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "a model is instantiated, so it cannot be static or abstract",
        "A model is instantiated, with new, by the code that uses it.");

    public static readonly DiagnosticDescriptor PrimaryConstructorModel = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "SlimGen writes the model's constructor, so the class cannot have a primary constructor; remove the parameter list",
        "The generated constructor creates the layers; a primary constructor would replace it.");

    public static readonly DiagnosticDescriptor ForeignBaseClass = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "its base class '{1}' is not TorchSharp's Module<Tensor, Tensor>; remove it (SlimGen adds that base) or derive from a Module<Tensor, Tensor>",
        "The generated forward overrides Module<Tensor, Tensor>.forward, so the base class must be that module or derive from it.");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "SLIM008", ModelCategory, UnsupportedClassTitle,
        UnsupportedClassMessage + "its containing type '{1}' must be partial and not generic",
        "The generated half repeats the containing types, which must therefore be partial and not generic.");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
        "SLIM009", ModelCategory, "SlimGen attribute on another partial declaration",
        "[{0}] must be on the declaration of '{1}' that carries [SlimModel], whose source order defines the network; move it there",
        "The layers are read in source order from the declaration that carries [SlimModel]; elsewhere they have no place in the network.");

    public static readonly DiagnosticDescriptor ScopeNotIdentifier = Error(
        "SLIM010", ModelCategory, UnusableNameTitle,
        "Scope '{0}' is not usable: a scope must be a C# identifier (letters, digits and '_') because it names a field and a state_dict key",
        "A scope names a field of the generated class and a state_dict key.");

    public static readonly DiagnosticDescriptor ScopeNamedLikeClass = Error(
        "SLIM010", ModelCategory, UnusableNameTitle,
        "Scope '{0}' is not usable: it is the name of the model class, and C# does not allow a member named like its class; choose another name",
        "A scope names a field, and C# does not allow a member named like its class.");

    public static readonly DiagnosticDescriptor ScopeNamedLikeMember = Error(
        "SLIM010", ModelCategory, UnusableNameTitle,
        "Scope '{0}' is not usable: it clashes with a member of the model (TorchSharp Module or generated code); choose another name",
        "A field named like a member of TorchSharp's Module or of the generated code would hide it or clash with it.");

    public static readonly DiagnosticDescriptor ParameterNotIdentifier = Error(
        "SLIM010", ModelCategory, UnusableNameTitle,
        "Parameter '{0}' is not usable: the constructor parameter of {1} needs a C# identifier that is not a keyword, 'device' or 'dtype'",
        "A Parameter names a constructor parameter, which the code that creates the model passes by name.");

    public static readonly DiagnosticDescriptor ParameterNamedLikeLayer = Error(
        "SLIM010", ModelCategory, UnusableNameTitle,
        "Parameter '{0}' is not usable: a layer is named '{0}' too, and the constructor parameter would hide its field; choose another name",
        "In the constructor, a parameter named like a layer would be assigned instead of the layer's field.");

    public static readonly DiagnosticDescriptor RankMismatch = Error(
        "SLIM011", ShapeCategory, "Input of the wrong rank",
        "'{0}' needs a {1} input but receives {2}; {3}",
        "Convolutions and pools need [C, H, W]; batch norm needs [C] or [C, H, W].");

    public static readonly DiagnosticDescriptor KeyDoesNotApply = Warning(
        "SLIM012", ModelCategory, "Key does not apply",
        "{0} sets {1}, which does not apply to {2}; remove it",
        "A key that none of the listed ops reads changes nothing.");

    public static readonly DiagnosticDescriptor SizeOverflow = Error(
        "SLIM013", ShapeCategory, "Size overflow",
        "'{0}' makes the {1} exceed what a 64-bit count can hold (input {2}); use smaller layers or a smaller input",
        "A parameter count, multiply-accumulate count or tensor size past 64 bits could never be allocated.");

    public static readonly DiagnosticDescriptor ParameterConflict = Error(
        "SLIM014", ModelCategory, "Conflicting constructor parameter",
        "Constructor parameter '{0}' is declared again with {1}; give it another name or the same kind and default",
        "Layers may share a Parameter, but then they must agree on its kind and its default.");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "SLIM015", ModelCategory, "Model without layers",
        "'{0}' has no layer attributes; add layers such as [Conv2d(32, 3)] below [SlimModel]",
        "A model needs at least one layer attribute on the declaration that carries [SlimModel].");

    public static readonly DiagnosticDescriptor RepeatOfNonIntegerOp = Error(
        "SLIM016", ModelCategory, WrongArgumentsTitle,
        "[Repeat] of {0} is not possible: the argument of {0} is not an integer; write the [{0}] layers out instead",
        "[Repeat] passes integers to its op; an op whose argument is a double, such as Dropout, cannot be repeated.");

    public static readonly DiagnosticDescriptor RepeatArgumentCount = Error(
        "SLIM016", ModelCategory, WrongArgumentsTitle,
        "[Repeat] of {0} takes {1} after the op ({2}) but got {3}; write [Repeat(count, {0}{4})]",
        "[Repeat(count, op, args...)] passes its integers to the op: filters and kernel for Conv2d, units for FullyConnected, kernel for pools, none for Flatten and BatchNorm.");

    public static readonly DiagnosticDescriptor StackOfUnstackableOp = Error(
        "SLIM016", ModelCategory, WrongArgumentsTitle,
        "[Stack] of {0} is not possible: only Conv2d, FullyConnected, MaxPool2d and AvgPool2d take one integer per layer; write the layers out instead",
        "[Stack(op, values...)] builds one layer per integer value, which only some ops take.");

    public static readonly DiagnosticDescriptor StackWithoutValues = Error(
        "SLIM016", ModelCategory, WrongArgumentsTitle,
        "[Stack] of {0} needs at least one value: it builds one layer per value",
        "[Stack(op, values...)] builds one layer per value, so an empty stack builds nothing.");

    public static readonly DiagnosticDescriptor StackWithoutKernel = Error(
        "SLIM016", ModelCategory, WrongArgumentsTitle,
        "[Stack] of {0} needs the kernel size of its convolutions; add Kernel = 3 (for example)",
        "The values of a stack of convolutions are their filters; the kernel size comes from Kernel.");

    public static readonly DiagnosticDescriptor OutputShapeMismatch = Error(
        "SLIM017", ShapeCategory, "Declared output shape mismatch",
        "'{0}' declares OutputShape {1}, but its layers produce {2}; change OutputShape or the layers",
        "OutputShape on [SlimModel] states what the model must produce; the layers must produce it.");

    public static readonly DiagnosticDescriptor FlattenOfFlatInput = Warning(
        "SLIM018", ModelCategory, DoesNothingTitle,
        "'{0}' does nothing: its input {1} is already flat; remove it",
        "[Flatten] on a tensor that is already flat passes it through.");

    public static readonly DiagnosticDescriptor PoolOfOneByOne = Warning(
        "SLIM018", ModelCategory, DoesNothingTitle,
        "'{0}' does nothing: a 1x1 window with stride 1 passes its input through; remove it, or give it a larger kernel or stride",
        "A pool with a 1x1 window and stride 1 returns its input.");

    public static readonly DiagnosticDescriptor DropoutOfZero = Warning(
        "SLIM018", ModelCategory, DoesNothingTitle,
        "'{0}' does nothing: a dropout rate of 0 keeps every value; raise the rate or remove the layer",
        "A dropout rate of 0 keeps every value (a Parameter that lets the constructor raise it makes it deliberate).");

    public static readonly DiagnosticDescriptor ChannelsLastInput = Error(
        "SLIM019", ShapeCategory, "Channels-last input shape",
        "'{0}' declares the input shape {1}, which reads as channels-last (height, width, channels), and its layers shrink it to nothing; SlimGen shapes are channels-first (channels, height, width): declare [SlimModel({2})]",
        "TensorFlow's habit of declaring images as height, width, channels makes SlimGen read the width as channels; the model then collapses.");

    public static readonly DiagnosticDescriptor OpNameHidden = Error(
        "SLIM020", ModelCategory, "Layer kind hidden by another name",
        "'{0}' here means {1}, not the layer kind Op.{0}: a 'using static' directive (such as TorchSharp.torch.nn's) brings in methods of that name; write Op.{0}",
        "A 'using static' of a class with methods named like SlimGen's layer kinds (TorchSharp.torch.nn) hides Op's members inside attribute arguments.");

    public static readonly DiagnosticDescriptor ResidualShapeMismatch = Error(
        "SLIM021", ShapeCategory, "Residual add of different shapes",
        "'{0}' adds its input {1} to its body's output {2}, which differ; set Shortcut = Shortcut.Projection on the block's [Residual] (a 1x1 convolution with the block's stride), or change the arguments",
        "An identity shortcut adds the block's input to its body's output, so the two must have the same shape.");

    public static readonly DiagnosticDescriptor ConcatSpatialMismatch = Error(
        "SLIM022", ShapeCategory, "Concat of different spatial sizes",
        "'{0}' concatenates branches of different spatial sizes: '{1}' gives {2} and '{3}' gives {4}; give the branches the same strides and padding",
        "Branches are concatenated along the channels, so their spatial sizes must agree.");

    public static readonly DiagnosticDescriptor InvalidExpression = Error(
        "SLIM023", ModelCategory, "Invalid size expression",
        "The size expression \"{0}\" cannot be used: {1}",
        "A size in a block can be an expression over the block's parameters and 'in' (its input channels): names, whole numbers, + - * / and parentheses.");

    public static readonly DiagnosticDescriptor BlockValueInvalid = Error(
        "SLIM023", ModelCategory, "Invalid size expression",
        "'{0}' gets {1} = {2} from \"{3}\" with {4}, but it must be at least 1{5}",
        "A block's arguments must give every size expression in it a whole value of at least 1.");

    public static readonly DiagnosticDescriptor NotABlock = Error(
        "SLIM024", ModelCategory, "Not a block",
        "'{0}' cannot be used as a block: {1}",
        "[Block] and [Repeat] with a type take a partial class of this compilation that carries [SlimBlock].");

    public static readonly DiagnosticDescriptor BlockArgumentCount = Error(
        "SLIM025", ModelCategory, "Wrong block arguments",
        "Block '{0}' takes {1} ({2}) but got {3}",
        "A block's use passes one integer per parameter its [SlimBlock] names, in that order.");

    public static readonly DiagnosticDescriptor RecursiveBlock = Error(
        "SLIM025", ModelCategory, "Wrong block arguments",
        "Block '{0}' uses itself (through {1}); a block cannot contain itself",
        "A block that contains itself, directly or through other blocks, would never end.");

    public static readonly DiagnosticDescriptor UnusedStride = Error(
        "SLIM025", ModelCategory, "Wrong block arguments",
        "Block '{0}' is used with Stride = {1}, but none of its layers has Strided = true; mark the layer that takes the stride",
        "A block's stride goes to the layers that declare Strided = true (and to a projection shortcut); without one it would be ignored.");

    public static readonly DiagnosticDescriptor BlockConstructOutsideBlock = Error(
        "SLIM026", ModelCategory, "Block construct outside a block",
        "{0} is only allowed in a [SlimBlock] class; {1}",
        "Branches, concats, residuals, size expressions and Strided belong to reusable blocks; a model uses blocks with [Block] or [Repeat].");

    public static readonly DiagnosticDescriptor MisplacedBranch = Error(
        "SLIM027", ModelCategory, "Branches not closed or not opened",
        "{0}",
        "A block's branches start with [Branch(\"name\")] and end with [Concat]; a concat inside a branch is written as a block used in that branch.");

    public static readonly DiagnosticDescriptor FlattenOfVariableSize = Error(
        "SLIM028", ShapeCategory, "Flatten of a variable size",
        "'{0}' flattens {1}, whose size depends on the input's (VariableSize = true), so no dense layer can follow; put [GlobalAvgPool2d] before it, or declare a fixed size",
        "A model of variable size accepts any height and width from its minimum; a flattened size would change with them.");

    public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error(
        "SLIM029", ShapeCategory, "Channel groups that do not divide",
        "'{0}' has Groups = {1}, which does not divide its {2} input channels and {3} filters; use a number of groups that divides both",
        "A grouped convolution splits its input channels and its filters into equal groups, so both must be multiples of Groups.");

    public static readonly DiagnosticDescriptor TooManyChannels = Error(
        "SLIM030", ShapeCategory, "Too many channels",
        "'{0}' makes {1} channels, more than the 2147483647 a layer can have; use a smaller size or Multiplier",
        "Channel counts are 32-bit in the layers' sizes and in the generated constructors, and no real network comes near the limit.");

    public static readonly DiagnosticDescriptor PreactivationWithoutBatchNorm = Error(
        "SLIM031", ModelCategory, "Pre-activation without its batch norm",
        "Preactivation = true needs the block's first layer to be the pre-activation, a [BatchNorm(Activation = Act.Relu)]",
        "A pre-activated residual block (ResNet v2) normalizes its input first; the projection shortcut reads that normalized input.");

    public static readonly DiagnosticDescriptor ModelConstructInBlock = Error(
        "SLIM032", ModelCategory, "Model construct in a block",
        "{0} is only allowed in a [SlimModel] class; {1}",
        "An auxiliary head is an end point of a model, built or left out by the model's constructor; a block is a part that models use.");

    /// <summary>Every descriptor, one per problem; problems of one kind share an id (SLIM005 has four).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticDescriptors)
        .GetFields()
        .Select(field => field.GetValue(null))
        .OfType<DiagnosticDescriptor>()
        .ToList();

    /// <summary>The diagnostic's message as the compiler prints it.</summary>
    public static string Message(ModelDiagnostic diagnostic) =>
        string.Format(CultureInfo.InvariantCulture, diagnostic.Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture),
            diagnostic.MessageArgs.Cast<object>().ToArray());

    private static DiagnosticDescriptor Error(string id, string category, string title, string message, string description) =>
        Create(id, category, title, message, description, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message, string description) =>
        Create(id, category, title, message, description, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string category, string title, string message, string description, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description,
            helpLinkUri: DiagnosticsDocument + "#" + id.ToLowerInvariant());
}
