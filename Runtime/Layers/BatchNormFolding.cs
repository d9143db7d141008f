using System;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>Batch-norm folding for inference.</summary>
public static class BatchNormFolding
{
    /// <summary>
    /// Folds the batch-norm normalizer of every <see cref="WeightedLayer"/> in <paramref name="model"/> (its nested
    /// blocks included) into the layer's weights and a bias, with the running statistics: the layer then convolves (or
    /// multiplies) once and adds the bias, and gives the same eval-mode outputs as before up to rounding. This is for
    /// inference only, and one way: a folded layer has <c>weight</c> and <c>bias</c> and no <c>bn.*</c> in its
    /// state_dict, reports <see cref="WeightedLayer.IsBatchNormFolded"/>, and refuses <c>train()</c> (build the model
    /// anew, or load an unfolded checkpoint, to train). Standalone <see cref="BatchNorm"/> layers are left as they are.
    /// A model on which this is not called keeps its batch norms and stays trainable.
    /// </summary>
    /// <param name="model">The model, in eval mode (<c>model.eval()</c>).</param>
    /// <returns>How many layers were folded (zero when none has a batch norm left to fold).</returns>
    /// <exception cref="InvalidOperationException">The model or one of its submodules is in training mode.</exception>
    public static int FoldBatchNorm(this nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = model.modules().Prepend(model).Distinct().ToList();
        if (modules.FirstOrDefault(module => module.training) is { } training)
        {
            throw new InvalidOperationException(
                $"FoldBatchNorm folds the running statistics for inference and needs the model in eval mode, but " +
                $"{(ReferenceEquals(training, model) ? "the model" : $"its {training.GetName()}")} is in training mode: call eval() first.");
        }
        return modules.OfType<WeightedLayer>().Count(layer => layer.FoldBatchNorm());
    }
}
