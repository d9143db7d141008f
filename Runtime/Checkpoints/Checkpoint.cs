using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Checkpoints.Formats;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints;

/// <summary>
/// Saves and loads model weights (a module's state_dict: parameters and buffers, by their scoped names such as
/// <c>conv1.conv1_2.weight</c>) and other named tensors, in safetensors, TorchSharp's format or PyTorch's zip format;
/// loading also reads torch.save's legacy formats (the pickle format of PyTorch 0.4 to 1.5 and the older tar layout).
/// Saving is atomic; loading detects the format from the file's content, validates the file before it allocates for
/// it, and either loads everything asked for or changes nothing.
/// </summary>
public static class Checkpoint
{
    /// <summary>Saves <paramref name="model"/>'s state_dict, replacing <paramref name="path"/> atomically.</summary>
    /// <param name="model">The model, on any device.</param>
    /// <param name="path">The file to write; its directory is created if needed.</param>
    /// <param name="format">The file format; safetensors by default.</param>
    /// <exception cref="ArgumentException">A tensor's element type cannot be stored in <paramref name="format"/>.</exception>
    public static void Save(nn.Module model, string path, CheckpointFormat format = CheckpointFormat.SafeTensors)
    {
        ArgumentNullException.ThrowIfNull(model);
        SaveTensors(model.state_dict(), path, format);
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/>'s parameters and buffers, on whatever device they are, after
    /// matching every key by name (through <see cref="LoadOptions.NameMap"/>) and shape. Values are converted to the
    /// model's element types, as PyTorch's <c>load_state_dict</c> does.
    /// </summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="path">
    /// A safetensors, TorchSharp, PyTorch zip or legacy <c>torch.save</c> file (pickle or tar layout); the format is read
    /// from its first bytes.
    /// </param>
    /// <param name="options">Strictness, name map and excluded scopes; strict, with the checkpoint's names, by default.</param>
    /// <returns>What was loaded and, for a non-strict load, what did not match.</returns>
    /// <exception cref="CheckpointException">
    /// The file is invalid, or the load is strict and a key is missing, unexpected or mis-shaped; the message lists every
    /// problem, and the model is unchanged.
    /// </exception>
    /// <exception cref="ArgumentException">An excluded scope is empty or has an empty segment, such as <c>fc8.</c>.</exception>
    public static LoadReport Load(nn.Module model, string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var checkpoint = CheckpointFile.Open(path);
        return StateDictLoader.Load(model, checkpoint, options ?? new LoadOptions(), path);
    }

    /// <summary>
    /// Saves named tensors that belong to no module, such as an optimizer's state or a step counter, replacing
    /// <paramref name="path"/> atomically. The tensors are saved from any device, and need not be contiguous.
    /// </summary>
    /// <param name="tensors">The tensors by name; saved in the dictionary's order.</param>
    /// <param name="path">The file to write; its directory is created if needed.</param>
    /// <param name="format">The file format; safetensors by default.</param>
    /// <exception cref="ArgumentException">A tensor's element type cannot be stored in <paramref name="format"/>.</exception>
    public static void SaveTensors(IReadOnlyDictionary<string, Tensor> tensors, string path, CheckpointFormat format = CheckpointFormat.SafeTensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = NewDisposeScope();
        // The writers take raw bytes from CPU memory, in row-major order.
        var cpuTensors = tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.detach().cpu().contiguous())).ToList();
        AtomicFile.Write(path, stream => CheckpointFile.Write(stream, cpuTensors, format));
    }

    /// <summary>
    /// Loads every tensor of a checkpoint file onto the CPU, in the file's order (by name for PyTorch zips, whose reader
    /// does not keep the order).
    /// </summary>
    /// <param name="path">
    /// A safetensors, TorchSharp, PyTorch zip or legacy <c>torch.save</c> file (pickle or tar layout); the format is read
    /// from its first bytes.
    /// </param>
    /// <returns>The tensors by name; the caller owns them (or the dispose scope open at the call does).</returns>
    /// <exception cref="CheckpointException">The file is invalid; no tensor is returned.</exception>
    public static IReadOnlyDictionary<string, Tensor> LoadTensors(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var checkpoint = CheckpointFile.Open(path);
        using var scope = NewDisposeScope();
        var tensors = checkpoint.Entries.ToDictionary(entry => entry.Name, checkpoint.Read);
        foreach (var tensor in tensors.Values)
            tensor.MoveToOuterDisposeScope();
        return tensors;
    }
}
