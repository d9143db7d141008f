using System;
using System.IO;
using System.Text;

namespace SlimGen.Onnx;

/// <summary>
/// The protobuf wire format, as much of it as an ONNX model needs: varints, length-delimited fields and nested
/// messages. Hand-written so that exporting needs no protobuf package or generated code.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintType = 0, LengthDelimitedType = 2, Fixed32Type = 5;
    private readonly MemoryStream buffer = new();

    public void Int64(int field, long value)
    {
        Tag(field, VarintType);
        Varint(unchecked((ulong)value));
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        buffer.Write(value);
    }

    public void Message(int field, ProtoWriter message) => Bytes(field, message.buffer.GetBuffer().AsSpan(0, (int)message.buffer.Length));

    /// <summary>A repeated int64 field, packed (the encoding proto3 uses by default).</summary>
    public void PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long value in values)
            packed.Varint(unchecked((ulong)value));
        Message(field, packed);
    }

    public void WriteTo(Stream stream) => buffer.WriteTo(stream);

    public byte[] ToArray() => buffer.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
