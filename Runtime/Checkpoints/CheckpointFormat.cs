namespace SlimGen.Checkpoints;

/// <summary>The file formats <see cref="Checkpoint"/> writes; reading detects the format from the file's first bytes.</summary>
public enum CheckpointFormat
{
    /// <summary>
    /// <see href="https://github.com/huggingface/safetensors">safetensors</see>: a JSON header and raw little-endian
    /// data, readable by PyTorch, JAX and TensorFlow without running code. The safe default.
    /// </summary>
    SafeTensors,

    /// <summary>TorchSharp's own format, as <c>Module.save</c> writes it.</summary>
    TorchSharp,

    /// <summary>
    /// A PyTorch <c>torch.save(model.state_dict())</c> file in the zip format of PyTorch 1.6 and later, read and written
    /// through TorchSharp.PyBridge, which rebuilds tensors without running the file's pickle code.
    /// </summary>
    PyTorch,
}
