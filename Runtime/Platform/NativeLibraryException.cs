using System;

namespace SlimGen;

/// <summary>
/// TorchSharp's native library (LibTorchSharp and the libtorch it runs on) cannot be loaded. The
/// message names the cause reported by the system loader and what to change to fix it.
/// </summary>
public sealed class NativeLibraryException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public NativeLibraryException()
        : base("TorchSharp's native library could not be loaded.")
    {
    }

    /// <summary>Creates the exception with a message that explains the failure.</summary>
    /// <param name="message">The cause and the fix.</param>
    public NativeLibraryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that revealed the failure.</summary>
    /// <param name="message">The cause and the fix.</param>
    /// <param name="innerException">The exception thrown by the runtime or by TorchSharp.</param>
    public NativeLibraryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
