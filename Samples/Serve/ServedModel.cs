using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Data;
using SlimGen.FashionMnistSample;
using SlimGen.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Serve;

/// <summary>A model the service can serve: its input, its classes, and how an image becomes its input.</summary>
/// <param name="Name">The configured name.</param>
/// <param name="InputShape">The per-example input shape, from the model's compile-time summary.</param>
/// <param name="ClassNames">One name per class, or null where the service has no names (the class index is given).</param>
/// <param name="Preprocess">Turns a decoded image into one example's input values.</param>
/// <param name="Create">Builds the model with the given weights file (or its initial weights when null).</param>
public sealed record ServedModel(
    string Name, IReadOnlyList<long> InputShape, IReadOnlyList<string>? ClassNames, Func<DecodedImage, float[]> Preprocess,
    Func<string?, nn.Module<Tensor, Tensor>> Create)
{
    public const string FashionMnist = "fashion-mnist";
    public const string Vgg16 = "vgg16";

    /// <summary>Values per example.</summary>
    public int InputSize => (int)InputShape.Aggregate(1L, (product, size) => product * size);

    /// <summary>The served model named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No model has that name; the message lists the names.</exception>
    public static ServedModel Named(string name) => name.ToLowerInvariant() switch
    {
        FashionMnist => new ServedModel(
            FashionMnist, TutorialCnn.InputShape, Data.FashionMnist.ClassNames, Preprocessing.FashionMnist,
            weights => Load(new TutorialCnn(), weights, model => Checkpoint.Load(model, weights!))),
        Vgg16 => new ServedModel(
            Vgg16, Zoo.Vgg16.InputShape, null, Preprocessing.ImageNet,
            weights => Load(new Zoo.Vgg16(), weights, model => model.LoadTorchVisionWeights(weights!))),
        _ => throw new ArgumentException($"Unknown model '{name}'. Serve:Model is '{FashionMnist}' or '{Vgg16}'.", nameof(name)),
    };

    private static nn.Module<Tensor, Tensor> Load<TModel>(TModel model, string? weights, Action<TModel> load)
        where TModel : nn.Module<Tensor, Tensor>
    {
        if (weights is not null)
            load(model);
        return model;
    }
}
