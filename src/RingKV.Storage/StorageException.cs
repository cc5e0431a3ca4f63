namespace RingKV.Storage;

/// <summary>
/// The storage engine could not do what was asked: open its directory (foreign, another node's, corrupt, locked by
/// another process), or read or store a write (disk full, I/O error). A write that threw was not acknowledged by the
/// engine and must not be acknowledged to a client (it may or may not have reached the disk).
/// </summary>
/// <remarks>
/// Engines throw it instead of their library's exception types so callers handle one type whatever the engine;
/// <see cref="Exception.InnerException"/> carries the library's error. Bad arguments, use after dispose and the like
/// still throw the usual <see cref="ArgumentException"/> and <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
