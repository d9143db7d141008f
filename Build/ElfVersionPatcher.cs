// Build-time ELF edit that lets TorchSharp's libLibTorchSharp.so load on systems whose libstdc++
// predates GCC 13 (see docs/PLATFORM.md). This file is compiled twice: by MSBuild's
// RoslynCodeTaskFactory from SlimGen.Native.targets, which accepts exactly one source file and so
// gets the MSBuild task at the end of this file too, and by Tests/SlimGen.Build.Tests, which defines
// SLIMGEN_ELF_PATCHER_ONLY to leave that task (and MSBuild) out. Keep it netstandard2.0 C#.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SlimGen.Build
{
    /// <summary>What <see cref="ElfVersionPatcher.MarkVersionNeedWeak"/> did.</summary>
    public enum WeakVersionResult
    {
        /// <summary>The library does not need the version from that file; nothing was written.</summary>
        NotNeeded,

        /// <summary>The need was already weak; nothing was written.</summary>
        AlreadyWeak,

        /// <summary>The weak flag was set.</summary>
        Patched,
    }

    /// <summary>A version that a library needs from another one: a <c>Vernaux</c> entry of <c>.gnu.version_r</c>.</summary>
    public readonly struct VersionNeed
    {
        /// <summary>Creates the description of one entry.</summary>
        public VersionNeed(long flagsOffset, ushort flags)
        {
            FlagsOffset = flagsOffset;
            Flags = flags;
        }

        /// <summary>File offset of the entry's two-byte <c>vna_flags</c> field.</summary>
        public long FlagsOffset { get; }

        /// <summary>The entry's <c>vna_flags</c>.</summary>
        public ushort Flags { get; }

        /// <summary>Whether <c>VER_FLG_WEAK</c> is set, so that the loader accepts a provider without the version.</summary>
        public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
    }

    /// <summary>A file that is not an ELF file this code can read, or whose structures are damaged.</summary>
    public sealed class ElfFormatException : Exception
    {
        /// <summary>Creates the exception; the message names the file and what is wrong with it.</summary>
        public ElfFormatException(string path, string problem)
            : base(path + ": " + problem)
        {
            Path = path;
        }

        /// <summary>The file that could not be read.</summary>
        public string Path { get; }
    }

    /// <summary>
    /// Reads and edits the GNU symbol-versioning sections of ELF shared libraries (ELF32 and ELF64,
    /// little-endian). Malformed input raises <see cref="ElfFormatException"/>; I/O failures surface as
    /// the usual <see cref="IOException"/>s.
    /// </summary>
    public static class ElfVersionPatcher
    {
        /// <summary><c>VER_FLG_WEAK</c>: a missing version is not fatal to the dynamic loader.</summary>
        public const ushort VerFlagWeak = 0x2;

        /// <summary>Directories searched by <see cref="FindSystemLibrary"/>: the loader's defaults on multiarch (Debian, Ubuntu) and lib64 (Fedora, RHEL, SUSE) systems.</summary>
        public static readonly IReadOnlyList<string> SystemLibraryDirectories = new[]
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        };

        /// <summary>
        /// Finds the <c>Vernaux</c> entry by which the library at <paramref name="path"/> asks
        /// <paramref name="fileName"/> (e.g. <c>libstdc++.so.6</c>) for <paramref name="version"/>
        /// (e.g. <c>GLIBCXX_3.4.32</c>); null when it does not.
        /// </summary>
        public static VersionNeed? FindVersionNeed(string path, string fileName, string version)
        {
            using (var elf = ElfReader.Open(path))
            {
                return elf.FindVersionNeed(fileName, version);
            }
        }

        /// <summary>
        /// Sets <c>VER_FLG_WEAK</c> on the entry found by <see cref="FindVersionNeed"/>. Only that
        /// two-byte field changes. The edit goes to a fresh copy that then replaces the file, because
        /// the file may be a hard or symbolic link into the NuGet cache, which must stay untouched; the
        /// copy keeps the file's last-write time so that MSBuild's incremental copy (same size and time:
        /// skip) keeps the patched file instead of copying the original over it on every build.
        /// </summary>
        public static WeakVersionResult MarkVersionNeedWeak(string path, string fileName, string version)
        {
            VersionNeed? need = FindVersionNeed(path, fileName, version);
            if (need == null)
                return WeakVersionResult.NotNeeded;
            if (need.Value.IsWeak)
                return WeakVersionResult.AlreadyWeak;

            ushort flags = (ushort)(need.Value.Flags | VerFlagWeak);
            ReplaceWithPatchedCopy(path, need.Value.FlagsOffset, new[] { (byte)flags, (byte)(flags >> 8) });
            return WeakVersionResult.Patched;
        }

        /// <summary>
        /// Whether the library at <paramref name="path"/> defines <paramref name="version"/> in its
        /// <c>.gnu.version_d</c> section (e.g. whether a libstdc++ provides <c>GLIBCXX_3.4.32</c>).
        /// </summary>
        public static bool DefinesVersion(string path, string version)
        {
            using (var elf = ElfReader.Open(path))
            {
                return elf.DefinesVersion(version);
            }
        }

        /// <summary>
        /// Finds <paramref name="fileName"/> in <see cref="SystemLibraryDirectories"/> built for the
        /// same ELF class and machine as the library at <paramref name="referencePath"/>; null if none.
        /// </summary>
        public static string? FindSystemLibrary(string fileName, string referencePath)
        {
            int elfClass;
            ushort machine;
            using (var reference = ElfReader.Open(referencePath))
            {
                elfClass = reference.Class;
                machine = reference.Machine;
            }

            foreach (string directory in SystemLibraryDirectories)
            {
                string candidate = Path.Combine(directory, fileName);
                if (!File.Exists(candidate))
                    continue;
                try
                {
                    using (var elf = ElfReader.Open(candidate))
                    {
                        if (elf.Class == elfClass && elf.Machine == machine)
                            return candidate;
                    }
                }
                catch (ElfFormatException)
                {
                    // A linker script or a damaged file: keep looking.
                }
            }
            return null;
        }

        private static void ReplaceWithPatchedCopy(string path, long offset, byte[] bytes)
        {
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                // File.Copy keeps the time stamp, that of the link target if path is a symbolic link.
                File.Copy(path, temp);
                DateTime lastWrite = File.GetLastWriteTimeUtc(temp);
                using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
                {
                    stream.Position = offset;
                    stream.Write(bytes, 0, bytes.Length);
                }
                File.SetLastWriteTimeUtc(temp, lastWrite);
                // A rename on Unix: atomic, and it replaces a link itself, not its target.
                File.Replace(temp, path, null);
            }
            finally
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
        }
    }

    /// <summary>Bounds-checked random access to the parts of an ELF file that symbol versioning needs.</summary>
    internal sealed class ElfReader : IDisposable
    {
        private const uint ShtStrtab = 3;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgBase = 0x1;

        private readonly FileStream stream;
        private readonly string path;
        private readonly long length;
        private Section[] sections = Array.Empty<Section>();

        private ElfReader(FileStream stream, string path)
        {
            this.stream = stream;
            this.path = path;
            length = stream.Length;
        }

        /// <summary>1 for ELF32, 2 for ELF64 (<c>EI_CLASS</c>).</summary>
        public int Class { get; private set; }

        /// <summary><c>e_machine</c>, e.g. 62 for x86-64 and 183 for AArch64.</summary>
        public ushort Machine { get; private set; }

        public static ElfReader Open(string path)
        {
            var reader = new ElfReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read), path);
            try
            {
                reader.ReadHeaders();
                return reader;
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        public void Dispose() => stream.Dispose();

        public VersionNeed? FindVersionNeed(string fileName, string version)
        {
            Section? verneed = FindSection(ShtGnuVerneed);
            if (verneed == null)
                return null;
            byte[] data = ReadSection(verneed.Value, ".gnu.version_r");
            Section strings = LinkedStringTable(verneed.Value, ".gnu.version_r");

            long entry = 0;
            while (true)
            {
                Require(entry + 16 <= data.Length, ".gnu.version_r: Verneed entry runs past the end of the section");
                Require(U16(data, entry) == 1, ".gnu.version_r: unknown Verneed version " + U16(data, entry));
                int auxCount = U16(data, entry + 2);
                if (NameIs(strings, U32(data, entry + 4), fileName))
                {
                    long aux = entry + U32(data, entry + 8);
                    for (int i = 0; i < auxCount; i++)
                    {
                        Require(aux + 16 <= data.Length, ".gnu.version_r: Vernaux entry runs past the end of the section");
                        if (NameIs(strings, U32(data, aux + 8), version))
                            return new VersionNeed((long)verneed.Value.Offset + aux + 4, U16(data, aux + 4));
                        uint nextAux = U32(data, aux + 12);
                        if (nextAux == 0)
                            break;
                        aux += nextAux;
                    }
                }
                uint next = U32(data, entry + 12);
                if (next == 0)
                    return null;
                entry += next;
            }
        }

        public bool DefinesVersion(string version)
        {
            Section? verdef = FindSection(ShtGnuVerdef);
            if (verdef == null)
                return false;
            byte[] data = ReadSection(verdef.Value, ".gnu.version_d");
            Section strings = LinkedStringTable(verdef.Value, ".gnu.version_d");

            long entry = 0;
            while (true)
            {
                Require(entry + 20 <= data.Length, ".gnu.version_d: Verdef entry runs past the end of the section");
                Require(U16(data, entry) == 1, ".gnu.version_d: unknown Verdef version " + U16(data, entry));
                bool isFileName = (U16(data, entry + 2) & VerFlgBase) != 0;
                // The first Verdaux names the version; any further ones name its parents.
                if (!isFileName && U16(data, entry + 6) > 0)
                {
                    long aux = entry + U32(data, entry + 12);
                    Require(aux + 8 <= data.Length, ".gnu.version_d: Verdaux entry runs past the end of the section");
                    if (NameIs(strings, U32(data, aux), version))
                        return true;
                }
                uint next = U32(data, entry + 16);
                if (next == 0)
                    return false;
                entry += next;
            }
        }

        private void ReadHeaders()
        {
            byte[] magic = Read(0, (int)Math.Min(4, length), "ELF magic");
            Require(magic.Length == 4 && magic[0] == 0x7f && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F',
                "not an ELF file");
            byte[] ident = Read(0, 16, "ELF identification");
            Require(ident[4] == 1 || ident[4] == 2, "unknown ELF class " + ident[4]);
            Require(ident[5] != 2, "big-endian ELF files are not supported");
            Require(ident[5] == 1, "unknown ELF data encoding " + ident[5]);
            Class = ident[4];
            bool is64 = Class == 2;

            byte[] header = Read(0, is64 ? 64 : 52, "ELF header");
            Machine = U16(header, 18);
            ulong tableOffset = is64 ? U64(header, 40) : U32(header, 32);
            int entrySize = U16(header, is64 ? 58 : 46);
            long count = U16(header, is64 ? 60 : 48);
            Require(tableOffset != 0, "no section headers");
            Require(entrySize >= (is64 ? 64 : 40), "section header size " + entrySize + " is too small");
            Require(tableOffset < (ulong)length, "section header table lies past the end of the file");

            if (count == 0)
            {
                // More than 0xff00 sections: the real count is in section 0's sh_size.
                byte[] first = Read((long)tableOffset, entrySize, "section header 0");
                ulong realCount = is64 ? U64(first, 32) : U32(first, 20);
                Require(realCount <= (ulong)length / (ulong)entrySize, "section count " + realCount + " does not fit in the file");
                count = (long)realCount;
            }

            Require(count * entrySize <= int.MaxValue, "section header table is implausibly large");
            byte[] table = Read((long)tableOffset, (int)(count * entrySize), "section header table");
            sections = new Section[count];
            for (long i = 0; i < count; i++)
            {
                long at = i * entrySize;
                sections[i] = is64
                    ? new Section(U32(table, at + 4), U64(table, at + 24), U64(table, at + 32), U32(table, at + 40))
                    : new Section(U32(table, at + 4), U32(table, at + 16), U32(table, at + 20), U32(table, at + 24));
            }
        }

        private Section? FindSection(uint type)
        {
            foreach (Section section in sections)
            {
                if (section.Type == type)
                    return section;
            }
            return null;
        }

        private Section LinkedStringTable(Section section, string name)
        {
            Require(section.Link < sections.Length && sections[section.Link].Type == ShtStrtab,
                name + ": sh_link " + section.Link + " is not a string table");
            Section strings = sections[section.Link];
            CheckBounds(strings, name + "'s string table");
            return strings;
        }

        private byte[] ReadSection(Section section, string name)
        {
            CheckBounds(section, name);
            // Version sections hold a few dozen entries; refuse absurd sizes rather than allocate them.
            Require(section.Size <= 1 << 24, name + " is implausibly large (" + section.Size + " bytes)");
            return Read((long)section.Offset, (int)section.Size, name);
        }

        private void CheckBounds(Section section, string name)
        {
            Require(section.Offset <= (ulong)length && section.Size <= (ulong)length - section.Offset,
                name + " lies past the end of the file");
        }

        /// <summary>Compares a NUL-terminated string of <paramref name="strings"/> with <paramref name="expected"/>.</summary>
        private bool NameIs(Section strings, uint offset, string expected)
        {
            Require(offset < strings.Size, "string offset " + offset + " lies outside the string table");
            byte[] wanted = Encoding.ASCII.GetBytes(expected + "\0");
            int available = (int)Math.Min((ulong)wanted.Length, strings.Size - offset);
            byte[] actual = Read((long)(strings.Offset + offset), available, "string table");
            if (available < wanted.Length)
                return false;
            for (int i = 0; i < wanted.Length; i++)
            {
                if (actual[i] != wanted[i])
                    return false;
            }
            return true;
        }

        private byte[] Read(long offset, int count, string what)
        {
            Require(offset >= 0 && count >= 0 && offset <= length - count, "file is truncated (" + what + " lies past its end)");
            var buffer = new byte[count];
            stream.Position = offset;
            int done = 0;
            while (done < count)
            {
                int n = stream.Read(buffer, done, count - done);
                Require(n > 0, "file is truncated (" + what + " lies past its end)");
                done += n;
            }
            return buffer;
        }

        private void Require(bool condition, string problem)
        {
            if (!condition)
                throw new ElfFormatException(path, problem);
        }

        private static ushort U16(byte[] b, long i) => (ushort)(b[i] | b[i + 1] << 8);

        private static uint U32(byte[] b, long i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

        private static ulong U64(byte[] b, long i) => U32(b, i) | (ulong)U32(b, i + 4) << 32;

        private readonly struct Section
        {
            public Section(uint type, ulong offset, ulong size, uint link)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
            }

            public uint Type { get; }
            public ulong Offset { get; }
            public ulong Size { get; }
            public uint Link { get; }
        }
    }
}

#if !SLIMGEN_ELF_PATCHER_ONLY
namespace SlimGen.Build
{
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>
    /// MSBuild task: in each of <see cref="Files"/>, marks the need for <see cref="Version"/> from
    /// <see cref="Library"/> weak when the system's copy of <see cref="Library"/> lacks that version.
    /// </summary>
    public sealed class SlimGenMarkVersionNeedWeak : Task
    {
        /// <summary>Libraries in the build or publish output to patch.</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The needed library's file name, e.g. <c>libstdc++.so.6</c>.</summary>
        [Required]
        public string Library { get; set; } = "";

        /// <summary>The needed version, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        [Required]
        public string Version { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            foreach (ITaskItem item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    Patch(path);
                }
                catch (Exception e) when (e is ElfFormatException || e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogWarning(null, "SLIMNATIVE001", null, path, 0, 0, 0, 0,
                        "SlimGen could not mark {0} weak in this file; it may fail to load: {1}", Version, e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }

        private void Patch(string path)
        {
            VersionNeed? need = ElfVersionPatcher.FindVersionNeed(path, Library, Version);
            if (need == null || need.Value.IsWeak)
            {
                Log.LogMessage(MessageImportance.Low, "SlimGen: {0} needs no change for {1}.", path, Version);
                return;
            }

            string? system = ElfVersionPatcher.FindSystemLibrary(Library, path);
            if (system == null)
            {
                Log.LogMessage(MessageImportance.Normal, "SlimGen: no system {0} found for {1}; left unchanged.", Library, path);
                return;
            }
            if (ElfVersionPatcher.DefinesVersion(system, Version))
            {
                Log.LogMessage(MessageImportance.Low, "SlimGen: {0} defines {1}; {2} left unchanged.", system, Version, path);
                return;
            }

            ElfVersionPatcher.MarkVersionNeedWeak(path, Library, Version);
            Log.LogMessage(MessageImportance.High,
                "SlimGen: marked {0} weak in {1} because {2} lacks it (set SlimGenPatchLibTorchSharp=false to turn this off).",
                Version, path, system);
        }
    }
}
#endif
