using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SlimGen.Build.Tests;

/// <summary>
/// Writes small, well-formed little-endian ELF shared objects that hold just the sections symbol
/// versioning uses (.dynstr, .gnu.version_d, .gnu.version_r, .shstrtab), and records where each
/// structure landed so that tests can check the patcher against offsets computed independently.
/// </summary>
internal sealed class ElfFixture
{
    public const ushort X86_64 = 62;
    private const uint ShtStrtab = 3;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    private readonly List<(string File, List<(string Version, ushort Flags)> Versions)> needs = new();
    private readonly List<string> definitions = new();
    private readonly Dictionary<(string File, string Version), long> flagsOffsets = new();

    public bool Is64 { get; init; } = true;

    public ushort Machine { get; init; } = X86_64;

    public string SoName { get; init; } = "libfixture.so";

    /// <summary>File offset of each Vernaux's vna_flags, known after <see cref="Build"/>.</summary>
    public IReadOnlyDictionary<(string File, string Version), long> FlagsOffsets => flagsOffsets;

    /// <summary>File offset of .gnu.version_r, known after <see cref="Build"/>.</summary>
    public long VerneedOffset { get; private set; }

    /// <summary>File offset of the section header table, known after <see cref="Build"/>.</summary>
    public long SectionHeadersOffset { get; private set; }

    /// <summary>Adds a need for <paramref name="version"/> from <paramref name="file"/>.</summary>
    public ElfFixture Needs(string file, string version, ushort flags = 0)
    {
        var entry = needs.FirstOrDefault(n => n.File == file);
        if (entry.File is null)
        {
            entry = (file, new List<(string, ushort)>());
            needs.Add(entry);
        }
        entry.Versions.Add((version, flags));
        return this;
    }

    /// <summary>Adds version definitions (after the base one that names <see cref="SoName"/>).</summary>
    public ElfFixture Defines(params string[] versions)
    {
        definitions.AddRange(versions);
        return this;
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, Build());
        return path;
    }

    public byte[] Build()
    {
        var dynstr = new StringTable();
        byte[] verdef = BuildVerdef(dynstr);
        (byte[] verneed, Dictionary<(string, string), int> relativeFlags) = BuildVerneed(dynstr);
        byte[] dynstrBytes = dynstr.ToArray();

        var sections = new List<(string Name, uint Type, byte[] Data, uint Link, uint Info)>
        {
            (".dynstr", ShtStrtab, dynstrBytes, 0, 0),
        };
        if (definitions.Count > 0)
            sections.Add((".gnu.version_d", ShtGnuVerdef, verdef, 1, (uint)definitions.Count + 1));
        if (needs.Count > 0)
            sections.Add((".gnu.version_r", ShtGnuVerneed, verneed, 1, (uint)needs.Count));
        var shstrtab = new StringTable();
        var nameOffsets = sections.Select(s => shstrtab.Add(s.Name)).ToList();
        uint shstrtabName = shstrtab.Add(".shstrtab");
        sections.Add((".shstrtab", ShtStrtab, shstrtab.ToArray(), 0, 0));
        nameOffsets.Add(shstrtabName);

        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(new byte[Is64 ? 64 : 52]);
        var offsets = new List<long>();
        foreach (var section in sections)
        {
            Align(w, 8);
            offsets.Add(stream.Position);
            w.Write(section.Data);
        }
        Align(w, 8);
        SectionHeadersOffset = stream.Position;

        WriteSectionHeader(w, 0, 0, alloc: false, 0, 0, 0, 0);
        for (int i = 0; i < sections.Count; i++)
        {
            bool alloc = i < sections.Count - 1; // all but .shstrtab are loaded
            WriteSectionHeader(w, nameOffsets[i], sections[i].Type, alloc, offsets[i], sections[i].Data.Length, sections[i].Link, sections[i].Info);
        }

        stream.Position = 0;
        WriteHeader(w, sections.Count + 1);

        int verneedIndex = sections.FindIndex(s => s.Type == ShtGnuVerneed);
        if (verneedIndex >= 0)
        {
            VerneedOffset = offsets[verneedIndex];
            foreach (var (key, relative) in relativeFlags)
                flagsOffsets[key] = VerneedOffset + relative;
        }
        return stream.ToArray();
    }

    private byte[] BuildVerdef(StringTable dynstr)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        var names = new[] { SoName }.Concat(definitions).ToList();
        for (int i = 0; i < names.Count; i++)
        {
            bool last = i == names.Count - 1;
            w.Write((ushort)1);                      // vd_version
            w.Write((ushort)(i == 0 ? 1 : 0));       // vd_flags: VER_FLG_BASE on the file's own entry
            w.Write((ushort)(i + 1));                // vd_ndx
            w.Write((ushort)1);                      // vd_cnt
            w.Write(ElfHash(names[i]));              // vd_hash
            w.Write(20u);                            // vd_aux
            w.Write(last ? 0u : 28u);                // vd_next
            w.Write(dynstr.Add(names[i]));           // vda_name
            w.Write(0u);                             // vda_next
        }
        return stream.ToArray();
    }

    private (byte[], Dictionary<(string, string), int>) BuildVerneed(StringTable dynstr)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        var relativeFlags = new Dictionary<(string, string), int>();
        ushort index = (ushort)(definitions.Count + 2);
        for (int i = 0; i < needs.Count; i++)
        {
            var (file, versions) = needs[i];
            w.Write((ushort)1);                                   // vn_version
            w.Write((ushort)versions.Count);                      // vn_cnt
            w.Write(dynstr.Add(file));                            // vn_file
            w.Write(16u);                                         // vn_aux
            w.Write(i == needs.Count - 1 ? 0u : 16u + 16u * (uint)versions.Count); // vn_next
            for (int j = 0; j < versions.Count; j++)
            {
                w.Write(ElfHash(versions[j].Version));            // vna_hash
                relativeFlags[(file, versions[j].Version)] = (int)stream.Position;
                w.Write(versions[j].Flags);                       // vna_flags
                w.Write(index++);                                 // vna_other
                w.Write(dynstr.Add(versions[j].Version));         // vna_name
                w.Write(j == versions.Count - 1 ? 0u : 16u);      // vna_next
            }
        }
        return (stream.ToArray(), relativeFlags);
    }

    private void WriteHeader(BinaryWriter w, int sectionCount)
    {
        w.Write(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', (byte)(Is64 ? 2 : 1), 1, 1, 0 });
        w.Write(new byte[8]);
        w.Write((ushort)3);              // e_type: ET_DYN
        w.Write(Machine);
        w.Write(1u);                     // e_version
        WriteAddress(w, 0);              // e_entry
        WriteAddress(w, 0);              // e_phoff
        WriteAddress(w, SectionHeadersOffset);
        w.Write(0u);                     // e_flags
        w.Write((ushort)(Is64 ? 64 : 52));
        w.Write((ushort)0);              // e_phentsize
        w.Write((ushort)0);              // e_phnum
        w.Write((ushort)(Is64 ? 64 : 40));
        w.Write((ushort)sectionCount);
        w.Write((ushort)(sectionCount - 1)); // e_shstrndx: .shstrtab comes last
    }

    private void WriteSectionHeader(BinaryWriter w, uint name, uint type, bool alloc, long offset, long size, uint link, uint info)
    {
        w.Write(name);
        w.Write(type);
        WriteAddress(w, alloc ? 2 : 0);  // sh_flags: SHF_ALLOC
        WriteAddress(w, 0);              // sh_addr
        WriteAddress(w, offset);
        WriteAddress(w, size);
        w.Write(link);
        w.Write(info);
        WriteAddress(w, type == ShtStrtab ? 1 : Is64 ? 8 : 4); // sh_addralign
        WriteAddress(w, 0);              // sh_entsize
    }

    private void WriteAddress(BinaryWriter w, long value)
    {
        if (Is64)
            w.Write((ulong)value);
        else
            w.Write((uint)value);
    }

    private static void Align(BinaryWriter w, int alignment)
    {
        while (w.BaseStream.Position % alignment != 0)
            w.Write((byte)0);
    }

    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (byte c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0)
                h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private sealed class StringTable
    {
        private readonly MemoryStream bytes = new();
        private readonly Dictionary<string, uint> offsets = new();

        public StringTable() => bytes.WriteByte(0);

        public uint Add(string value)
        {
            if (!offsets.TryGetValue(value, out uint offset))
            {
                offset = (uint)bytes.Position;
                byte[] data = Encoding.ASCII.GetBytes(value + "\0");
                bytes.Write(data, 0, data.Length);
                offsets[value] = offset;
            }
            return offset;
        }

        public byte[] ToArray() => bytes.ToArray();
    }
}
