using RingKV.Storage.Hints;
using RocksDbSharp;
using RocksDatabase = RocksDbSharp.RocksDb;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// One node's on-disk storage: a RocksDB database in a data directory, with records in the <c>default</c> column
/// family (<see cref="Store"/>) and hinted-handoff queues in the <c>hints</c> column family (<see cref="Hints"/>).
/// </summary>
/// <remarks>
/// <para>
/// Ownership: the engine owns the database. <see cref="Store"/> and <see cref="Hints"/> are views on it; disposing a
/// view only retires that view. Dispose the engine, once, after every user of the views has stopped: it waits for
/// calls in flight, stops the background sync, syncs the write-ahead log and closes the database. Calls that start
/// after that throw <see cref="ObjectDisposedException"/>. All members are thread-safe.
/// </para>
/// <para>
/// Durability (<see cref="RocksDbEngineOptions.Fsync"/>). Every write goes through RocksDB's write-ahead log, which
/// is written to the operating system before the write returns (RocksDB's default; RocksDbSharp's write options keep
/// it), so under every policy an acknowledged write survives a crash of the process, kill -9 included. They differ
/// on a crash of the machine or a power loss:
/// <list type="bullet">
/// <item><see cref="FsyncPolicy.Always"/>: each write syncs the log before it returns; nothing acknowledged is lost.
/// RocksDB groups concurrent writers into one sync, but a lone writer pays one fsync per write.</item>
/// <item><see cref="FsyncPolicy.EverySecond"/> (default): a background thread syncs the log every second; up to about
/// the last second of acknowledged writes can be lost. If such a sync fails, later writes throw
/// <see cref="StorageException"/>, since the engine can no longer keep its promise.</item>
/// <item><see cref="FsyncPolicy.No"/>: the engine never syncs before <see cref="Dispose"/>; the operating system writes
/// back when it likes (typically within 30 s), and that much can be lost.</item>
/// </list>
/// </para>
/// <para>
/// Failures: opening throws <see cref="StorageException"/> when the directory is not usable (see the constructor);
/// a read or write the disk refuses (full, I/O error) throws <see cref="StorageException"/> from the view's member,
/// never swallowed, so a caller never acknowledges a write that was not stored.
/// </para>
/// </remarks>
public sealed class RocksDbEngine : IDisposable
{
    internal const string HintsColumnFamily = "hints";

    private const ulong RecordsMemtableBytes = 8 << 20;

    private readonly RocksDatabase _db;
    private readonly WalSyncLoop? _syncLoop;
    private volatile StorageException? _walSyncFailure;
    private long _walSyncs;
    private int _disposed;

    /// <summary>
    /// Opens the database in <paramref name="directory"/>, creating the directory, its <c>RINGKV</c> marker and the
    /// database when missing. Costs one scan of all records and hints, to count them (see
    /// <see cref="RocksDbKeyValueStore.CountLive"/> and <see cref="RocksDbHintStore"/>).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="directory"/> is empty, or <see cref="RocksDbEngineOptions.NodeId"/> is empty or has a line break.
    /// </exception>
    /// <exception cref="StorageException">
    /// The directory is not empty and has no <c>RINGKV</c> marker; its marker names another node or is unreadable;
    /// RocksDB cannot open it (another process holds its lock, corruption, permissions); or a stored record is corrupt.
    /// The message names the directory.
    /// </exception>
    public RocksDbEngine(string directory, RocksDbEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Options = options ?? new RocksDbEngineOptions();
        if (Options.NodeId is { } nodeId && (nodeId.Length == 0 || nodeId.AsSpan().ContainsAny('\r', '\n')))
        {
            throw new ArgumentException("The node id must not be empty or contain line breaks.", nameof(options));
        }

        DataDirectory = Path.GetFullPath(directory);
        DataDirectoryMarker.Claim(DataDirectory, Options.NodeId);
        _db = OpenDatabase(DataDirectory);
        try
        {
            WriteOptions = new WriteOptions().SetSync(Options.Fsync == FsyncPolicy.Always);
            Store = new RocksDbKeyValueStore(this, _db.GetDefaultColumnFamily());
            Hints = new RocksDbHintStore(this, _db.GetColumnFamily(HintsColumnFamily));
        }
        catch
        {
            _db.Dispose();
            throw;
        }

        if (Options.Fsync == FsyncPolicy.EverySecond)
        {
            _syncLoop = new WalSyncLoop(TimeSpan.FromSeconds(1), SyncInBackground);
        }
    }

    /// <summary>The data directory, as a full path.</summary>
    public string DataDirectory { get; }

    public RocksDbEngineOptions Options { get; }

    /// <summary>The records (a <see cref="RocksDbKeyValueStore"/>).</summary>
    public IKeyValueStore Store { get; }

    /// <summary>The hinted-handoff queues (a <see cref="RocksDbHintStore"/>), as durable as the records.</summary>
    public IHintStore Hints { get; }

    internal RocksDatabase Database => _db;

    internal WriteOptions WriteOptions { get; }

    internal EngineGate Gate { get; } = new();

    /// <summary>Number of background WAL syncs done so far (for tests of the everysec policy).</summary>
    internal long WalSyncCount => Interlocked.Read(ref _walSyncs);

    /// <summary>
    /// Forces every write acknowledged so far to stable storage now, whatever the policy (a log sync; it waits for
    /// the disk). Useful before a planned shutdown or handover; <see cref="Dispose"/> does it anyway.
    /// </summary>
    /// <exception cref="StorageException">The sync failed.</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public void SyncWal()
    {
        using var scope = Gate.Enter();
        SyncWalCore();
    }

    /// <summary>
    /// Waits for calls in flight, stops the background sync, syncs the log and closes the database. Idempotent.
    /// Does not throw: a failure of the final sync cannot be reported to anyone who could act on it, and the writes
    /// it concerns were acknowledged under a policy that allowed losing them on a machine crash.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Gate.CloseAndDrain();
        _syncLoop?.Dispose();
        try
        {
            SyncWalCore();
        }
        catch (StorageException)
        {
            // See the summary: nothing useful to do with it here.
        }

        _db.Dispose();
    }

    /// <summary>Throws when a background sync failed: later writes would be acknowledged without the promised sync.</summary>
    /// <exception cref="StorageException">A background sync failed earlier.</exception>
    internal void ThrowIfWritesRefused()
    {
        if (_walSyncFailure is { } failure)
        {
            throw new StorageException(
                $"Writes to '{DataDirectory}' are refused since a background WAL sync failed: {failure.Message}", failure);
        }
    }

    /// <summary>Wraps a RocksDB error so the message names the operation and the directory.</summary>
    internal StorageException Failure(string operation, Exception error) =>
        new($"RocksDB failed to {operation} in '{DataDirectory}': {error.Message}", error);

    /// <exception cref="StorageException">RocksDB refused.</exception>
    internal Iterator NewIterator(ColumnFamilyHandle family, ReadOptions readOptions, string operation)
    {
        try
        {
            return _db.NewIterator(family, readOptions);
        }
        catch (RocksDbSharpException ex)
        {
            throw Failure(operation, ex);
        }
    }

    /// <summary>Call once an iterator stops being valid: it may have met the end, or an error (I/O, corruption).</summary>
    /// <exception cref="StorageException">The iterator stopped on an error.</exception>
    internal void ThrowIfIteratorFailed(Iterator iterator, string operation)
    {
        Native.Instance.rocksdb_iter_get_error(iterator.Handle, out var error);
        ThrowIfError(error, operation);
    }

    private static RocksDatabase OpenDatabase(string directory)
    {
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            // RocksDB's own diagnostic LOG files (not the write-ahead log); each open starts a new one.
            .SetKeepLogFileNum(5);
        // Every SET inserts into the memtable's skip list, and with the default 64 MiB memtable (about 400,000
        // records of 100 bytes) that insert was the largest single cost of a durable SET: a walk of cold cache lines.
        // An 8 MiB memtable keeps the list in cache; measured 15 to 30% more durable SETs per second at P16, paid for
        // with more, smaller flushes (ADR 0011).
        var records = new ColumnFamilyOptions().SetWriteBufferSize(RecordsMemtableBytes);
        var families = new ColumnFamilies(records);
        families.Add(HintsColumnFamily, new ColumnFamilyOptions());
        try
        {
            return RocksDatabase.Open(options, directory, families);
        }
        catch (Exception ex)
        {
            // RocksDbException for lock, corruption and I/O errors; load errors of the native library land here too.
            throw new StorageException($"Cannot open the RocksDB database in '{directory}': {ex.Message}", ex);
        }
    }

    private void SyncWalCore()
    {
        // RocksDbSharp has no managed FlushWal; the C API's rocksdb_flush_wal(sync: true) is DB::FlushWAL(true), which
        // writes out any buffered log data and fsyncs the log files.
        Native.Instance.rocksdb_flush_wal(_db.Handle, 1, out var error);
        ThrowIfError(error, "sync the write-ahead log");
    }

    /// <summary>Turns an error string returned by a native call (zero when none) into a <see cref="StorageException"/>.</summary>
    private void ThrowIfError(IntPtr error, string operation)
    {
        if (error == IntPtr.Zero)
        {
            return;
        }

        try
        {
            // Reads the message, frees the native string and throws RocksDbException.
            Native.ThrowRocksDbException(error);
        }
        catch (RocksDbSharpException ex)
        {
            throw Failure(operation, ex);
        }
    }

    private void SyncInBackground()
    {
        if (!Gate.TryEnter())
        {
            return;
        }

        try
        {
            SyncWalCore();
            Interlocked.Increment(ref _walSyncs);
        }
        catch (StorageException ex)
        {
            _walSyncFailure ??= ex;
        }
        finally
        {
            Gate.Exit();
        }
    }
}
