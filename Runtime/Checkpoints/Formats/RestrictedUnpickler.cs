using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text;

namespace SlimGen.Checkpoints.Formats;

/// <summary>A global that a pickle names, such as <c>torch._utils._rebuild_tensor_v2</c>.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A dict or <c>collections.OrderedDict</c> from a pickle, in the pickle's order.</summary>
internal sealed class PickleDict : List<KeyValuePair<object?, object?>>;

/// <summary>
/// Reads Python pickles of protocol 2 or lower, as <c>torch.save</c> writes them, without running anything: it knows
/// only the opcodes that build numbers, strings, tuples, lists and dicts, and it calls no global itself. A global is
/// accepted only if its caller names it, and only the caller gives a reduced global a meaning (a tensor, a storage type),
/// so a pickle that asks for <c>os.system</c> or any other callable fails by that global's name. Every length is
/// checked against the bytes left before anything is allocated for it.
/// </summary>
/// <param name="stream">The file, positioned at the pickle; left after its STOP.</param>
/// <param name="end">Where the pickle's bytes end at the latest (the file's length, or the end of a tar member).</param>
/// <param name="path">The file, for messages.</param>
/// <param name="what">What the pickle is, for messages: "the state_dict's pickle".</param>
/// <param name="globals">The globals, as <c>module.name</c>, that this pickle may name; <c>collections.OrderedDict</c> always.</param>
/// <param name="reduce">What a call of an accepted global (other than OrderedDict) builds from its arguments.</param>
/// <param name="persistentLoad">What a persistent id stands for (a storage or a tensor); null when the pickle has none.</param>
internal sealed class RestrictedUnpickler(
    Stream stream, long end, string path, string what, IReadOnlySet<string> globals,
    Func<PickleGlobal, object?[], object?>? reduce = null, Func<object?, object?>? persistentLoad = null)
{
    private const int MaxGlobalLineBytes = 256;
    private const int MaxIntegerBytes = 64;
    private static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];

    /// <summary>The names of PyTorch's legacy storage classes, as globals: <c>torch.FloatStorage</c>...</summary>
    public static IEnumerable<string> StorageGlobals => ElementTypes.StorageNames.Select(name => "torch." + name);

    /// <summary>Reads one pickle and returns the object it builds.</summary>
    /// <exception cref="CheckpointException">The pickle is truncated, malformed, or uses an opcode or a global it may not.</exception>
    public object? Load()
    {
        stack.Clear();
        marks.Clear();
        memo.Clear();
        while (true)
        {
            var at = stream.Position;
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    if (ReadByte() > 2)
                        throw Fail(at, "it uses a pickle protocol above 2, which torch.save does not write.");
                    break;
                case (byte)'.': // STOP
                    if (stack.Count != 1 || marks.Count != 0)
                        throw Fail(at, "it stops with an unbalanced stack.");
                    return stack[0];
                case (byte)'(': marks.Push(stack.Count); break; // MARK
                case (byte)'0': Pop(at); break; // POP
                case (byte)'1': PopMark(at); break; // POP_MARK
                case (byte)'2': stack.Add(Peek(at)); break; // DUP
                case (byte)'N': stack.Add(null); break; // NONE
                case 0x88: stack.Add(true); break; // NEWTRUE
                case 0x89: stack.Add(false); break; // NEWFALSE
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
                case (byte)'K': stack.Add((long)ReadByte()); break; // BININT1
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case 0x8a: stack.Add(Integer(at, ReadByte())); break; // LONG1
                case 0x8b: stack.Add(Integer(at, BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))); break; // LONG4
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case (byte)'X': stack.Add(Text(at, ReadBytes(Length(at, BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))))); break; // BINUNICODE
                case (byte)'U': stack.Add(Text(at, ReadBytes(ReadByte()))); break; // SHORT_BINSTRING (Python 2's str)
                case (byte)'T': stack.Add(Text(at, ReadBytes(Length(at, BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))))); break; // BINSTRING
                case (byte)')': stack.Add(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': stack.Add(PopMark(at).ToArray()); break; // TUPLE
                case 0x85: stack.Add(PopItems(at, 1)); break; // TUPLE1
                case 0x86: stack.Add(PopItems(at, 2)); break; // TUPLE2
                case 0x87: stack.Add(PopItems(at, 3)); break; // TUPLE3
                case (byte)']': stack.Add(new List<object?>()); break; // EMPTY_LIST
                case (byte)'a': Append(at); break; // APPEND
                case (byte)'e': AppendMarked(at); break; // APPENDS
                case (byte)'}': stack.Add(new PickleDict()); break; // EMPTY_DICT
                case (byte)'s': SetItem(at); break; // SETITEM
                case (byte)'u': SetItems(at); break; // SETITEMS
                case (byte)'c': stack.Add(Global(at)); break; // GLOBAL
                case (byte)'R': Reduce(at); break; // REDUCE
                case (byte)'b': Build(at); break; // BUILD
                case (byte)'Q': stack.Add(Persistent(at, Pop(at))); break; // BINPERSID
                case (byte)'q': memo[ReadByte()] = Peek(at); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(at); break; // LONG_BINPUT
                case (byte)'h': stack.Add(Memo(at, ReadByte())); break; // BINGET
                case (byte)'j': stack.Add(Memo(at, BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
                default:
                    throw Fail(at, $"it uses opcode 0x{opcode:x2} ('{(char)opcode}'), which a state_dict saved by torch.save does not need.");
            }
        }
    }

    private PickleGlobal Global(long at)
    {
        var global = new PickleGlobal(Line(at), Line(at));
        if (global != OrderedDict && !globals.Contains(global.ToString()))
        {
            throw Fail(at,
                $"it asks for the global '{global}', which a state_dict does not need; SlimGen never runs code from a checkpoint. " +
                "Load only state_dicts (torch.save(model.state_dict(), path)); a file from an unknown source may be hostile.");
        }
        return global;
    }

    private void Reduce(long at)
    {
        var arguments = Pop(at) as object?[] ?? throw Fail(at, "REDUCE's arguments are not a tuple.");
        var callable = Pop(at) as PickleGlobal ?? throw Fail(at, "REDUCE calls something that is not a global.");
        if (callable == OrderedDict)
        {
            if (arguments.Length != 0)
                throw Fail(at, "it builds an OrderedDict from arguments; torch.save writes OrderedDict() and then its items.");
            stack.Add(new PickleDict());
            return;
        }
        if (reduce is null)
            throw Fail(at, $"it calls '{callable}', which this part of the file may not.");
        stack.Add(reduce(callable, arguments));
    }

    /// <summary>An OrderedDict's attributes (a state_dict's <c>_metadata</c>): accepted and dropped.</summary>
    private void Build(long at)
    {
        Pop(at);
        if (Peek(at) is not PickleDict)
            throw Fail(at, "it sets the state of an object other than a dict, which a state_dict does not need.");
    }

    private object? Persistent(long at, object? id) =>
        persistentLoad is null ? throw Fail(at, "it holds a persistent id where none may be.") : persistentLoad(id);

    private void SetItem(long at)
    {
        var value = Pop(at);
        var key = Pop(at);
        Target<PickleDict>(at, 1, "SETITEM").Add(new(key, value));
    }

    private void SetItems(long at)
    {
        var items = PopMark(at);
        if (items.Count % 2 != 0)
            throw Fail(at, "SETITEMS has an odd number of keys and values.");
        var dict = Target<PickleDict>(at, 1, "SETITEMS");
        for (var i = 0; i < items.Count; i += 2)
            dict.Add(new(items[i], items[i + 1]));
    }

    private void Append(long at)
    {
        var item = Pop(at);
        Target<List<object?>>(at, 1, "APPEND").Add(item);
    }

    private void AppendMarked(long at)
    {
        var items = PopMark(at);
        Target<List<object?>>(at, 1, "APPENDS").AddRange(items);
    }

    private T Target<T>(long at, int depth, string opcode) where T : class =>
        stack.Count >= depth && stack[^depth] is T target ? target : throw Fail(at, $"{opcode} has no {typeof(T).Name} to add to.");

    private object? Pop(long at)
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count))
            throw Fail(at, "it takes from an empty stack.");
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private object? Peek(long at) => stack.Count > 0 ? stack[^1] : throw Fail(at, "it reads from an empty stack.");

    private List<object?> PopMark(long at)
    {
        if (marks.Count == 0)
            throw Fail(at, "it closes a MARK that was never set.");
        var start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private object?[] PopItems(long at, int count)
    {
        var items = new object?[count];
        for (var i = count - 1; i >= 0; i--)
            items[i] = Pop(at);
        return items;
    }

    private object? Memo(long at, long index) =>
        memo.TryGetValue(index, out var value) ? value : throw Fail(at, $"it reads memo entry {index}, which was never stored.");

    private object Integer(long at, int byteCount)
    {
        if (byteCount < 0 || byteCount > MaxIntegerBytes)
            throw Fail(at, $"it holds an integer of {byteCount} bytes; a state_dict needs at most 8.");
        var value = new BigInteger(ReadBytes(byteCount), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private int Length(long at, uint length) =>
        length <= end - stream.Position ? (int)length : throw Fail(at, $"a string claims {length} bytes, but only {end - stream.Position} remain.");

    private string Text(long at, byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(at, "a string is not valid UTF-8.");
        }
    }

    private string Line(long at)
    {
        var bytes = new List<byte>();
        for (var next = ReadByte(); next != '\n'; next = ReadByte())
        {
            if (bytes.Count == MaxGlobalLineBytes)
                throw Fail(at, $"a global's name is longer than {MaxGlobalLineBytes} bytes.");
            bytes.Add(next);
        }
        return Text(at, [.. bytes]);
    }

    private byte ReadByte() => ReadBytes(1)[0];

    private byte[] ReadBytes(int count)
    {
        if (count > end - stream.Position)
            throw new CheckpointException(path, $"{what} is truncated: it ends at byte {end} inside an opcode's argument.");
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private CheckpointException Fail(long at, string problem) => new(path, $"{what} is invalid at byte {at}: {problem}");
}
