using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Xunit;
using static SlimGen.Build.Tests.TestEnvironment;

namespace SlimGen.Build.Tests;

public sealed partial class ElfVersionPatcherTests : IDisposable
{
    private const string OtherFile = "libother.so.1";
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-elf-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Shaped like libLibTorchSharp.so's needs, plus the same version name needed from another file.</summary>
    private static ElfFixture TorchSharpLike(bool is64 = true, ushort gcc13Flags = 0) =>
        new ElfFixture { Is64 = is64, Machine = is64 ? ElfFixture.X86_64 : (ushort)3 }
            .Needs("libc.so.6", "GLIBC_2.2.5")
            .Needs(OtherFile, Gcc13Version)
            .Needs(LibStdCxx, "GLIBCXX_3.4.30")
            .Needs(LibStdCxx, Gcc13Version, gcc13Flags)
            .Needs(LibStdCxx, "CXXABI_1.3");

    private string Write(ElfFixture fixture, string name = "libfixture.so") => fixture.WriteTo(Path.Combine(directory, name));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Patch_sets_the_weak_flag_on_exactly_the_requested_entry(bool is64)
    {
        var fixture = TorchSharpLike(is64);
        string path = Write(fixture);
        byte[] before = File.ReadAllBytes(path);

        Assert.Equal(WeakVersionResult.Patched, ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));

        byte[] after = File.ReadAllBytes(path);
        long flags = fixture.FlagsOffsets[(LibStdCxx, Gcc13Version)];
        Assert.Equal(before.Length, after.Length);
        int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.InRange(i, flags, flags + 1));
        Assert.Equal(ElfVersionPatcher.VerFlagWeak, BitConverter.ToUInt16(after, (int)flags));

        VersionNeed? need = ElfVersionPatcher.FindVersionNeed(path, LibStdCxx, Gcc13Version);
        Assert.Equal(flags, need?.FlagsOffset);
        Assert.True(need?.IsWeak);
        Assert.False(ElfVersionPatcher.FindVersionNeed(path, OtherFile, Gcc13Version)?.IsWeak);
    }

    [Fact]
    public void Patch_keeps_the_other_flags_of_the_entry()
    {
        const ushort verFlgInfo = 0x4;
        var fixture = TorchSharpLike(gcc13Flags: verFlgInfo);
        string path = Write(fixture);

        ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version);

        Assert.Equal(verFlgInfo | ElfVersionPatcher.VerFlagWeak,
            BitConverter.ToUInt16(File.ReadAllBytes(path), (int)fixture.FlagsOffsets[(LibStdCxx, Gcc13Version)]));
    }

    [Fact]
    public void Second_patch_changes_nothing()
    {
        string path = Write(TorchSharpLike());
        ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version);
        byte[] once = File.ReadAllBytes(path);
        DateTime stamp = File.GetLastWriteTimeUtc(path);

        Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));

        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Need_that_is_weak_already_is_left_alone()
    {
        string path = Write(TorchSharpLike(gcc13Flags: ElfVersionPatcher.VerFlagWeak));
        byte[] before = File.ReadAllBytes(path);

        Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Library_without_the_need_is_untouched()
    {
        var fixtures = new[]
        {
            new ElfFixture().Needs(LibStdCxx, "GLIBCXX_3.4.30").Needs(OtherFile, Gcc13Version),
            new ElfFixture().Defines("V1"),
            new ElfFixture(),
        };
        foreach (var fixture in fixtures)
        {
            string path = Write(fixture);
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            byte[] before = File.ReadAllBytes(path);

            Assert.Equal(WeakVersionResult.NotNeeded, ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));

            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(path));
        }
    }

    [LinuxFact]
    [SupportedOSPlatform("linux")]
    public void Patched_copy_keeps_time_stamp_and_mode_so_that_incremental_copies_skip_it()
    {
        string path = Write(TorchSharpLike());
        var packageTime = new DateTime(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, packageTime);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);

        ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version);

        Assert.Equal(packageTime, File.GetLastWriteTimeUtc(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(directory));
    }

    [LinuxFact]
    public void Links_into_the_package_cache_are_replaced_not_written_through()
    {
        string package = Write(TorchSharpLike(), "package.so");
        var packageTime = new DateTime(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(package, packageTime);
        byte[] original = File.ReadAllBytes(package);
        string hardLink = Path.Combine(directory, "hard.so");
        Assert.Equal(0, link(package, hardLink));
        string symbolicLink = Path.Combine(directory, "symbolic.so");
        File.CreateSymbolicLink(symbolicLink, package);

        foreach (string output in new[] { hardLink, symbolicLink })
        {
            Assert.Equal(WeakVersionResult.Patched, ElfVersionPatcher.MarkVersionNeedWeak(output, LibStdCxx, Gcc13Version));
            Assert.Null(new FileInfo(output).LinkTarget);
            Assert.True(ElfVersionPatcher.FindVersionNeed(output, LibStdCxx, Gcc13Version)?.IsWeak);
            Assert.Equal(packageTime, File.GetLastWriteTimeUtc(output));
        }
        Assert.Equal(original, File.ReadAllBytes(package));
        Assert.Equal(packageTime, File.GetLastWriteTimeUtc(package));
    }

    [Fact]
    public void Defines_version_reads_the_version_definitions()
    {
        foreach (bool is64 in new[] { true, false })
        {
            string path = Write(new ElfFixture { Is64 = is64, SoName = LibStdCxx }.Defines("GLIBCXX_3.4", "GLIBCXX_3.4.30", "CXXABI_1.3"));

            Assert.True(ElfVersionPatcher.DefinesVersion(path, "GLIBCXX_3.4"));
            Assert.True(ElfVersionPatcher.DefinesVersion(path, "GLIBCXX_3.4.30"));
            Assert.False(ElfVersionPatcher.DefinesVersion(path, Gcc13Version));
            Assert.False(ElfVersionPatcher.DefinesVersion(path, "GLIBCXX_3.4.3"));
            Assert.False(ElfVersionPatcher.DefinesVersion(path, LibStdCxx)); // the base entry names the file, not a version
        }
        Assert.False(ElfVersionPatcher.DefinesVersion(Write(TorchSharpLike()), "GLIBCXX_3.4.30")); // needs are not definitions
    }

    [LinuxFact]
    public void System_libstdcxx_defines_the_versions_its_file_name_promises()
    {
        string? library = ElfVersionPatcher.FindSystemLibrary(LibStdCxx, ThisProcess);
        Assert.NotNull(library); // the dotnet host itself links against libstdc++

        Assert.True(ElfVersionPatcher.DefinesVersion(library, "GLIBCXX_3.4"));
        Assert.False(ElfVersionPatcher.DefinesVersion(library, "GLIBCXX_3.4.999"));
        // libstdc++.so.6.0.N defines GLIBCXX_3.4.N and nothing newer.
        Match match = LibStdCxxFileName().Match(new FileInfo(library).ResolveLinkTarget(returnFinalTarget: true)?.Name ?? "");
        if (match.Success)
        {
            int newest = int.Parse(match.Groups[1].Value);
            Assert.True(ElfVersionPatcher.DefinesVersion(library, $"GLIBCXX_3.4.{newest}"));
            Assert.False(ElfVersionPatcher.DefinesVersion(library, $"GLIBCXX_3.4.{newest + 1}"));
        }
    }

    [FileFact("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30")]
    public void Gcc12_libstdcxx_lacks_the_version_TorchSharp_asks_for()
    {
        const string gcc12 = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30";
        Assert.True(ElfVersionPatcher.DefinesVersion(gcc12, "GLIBCXX_3.4.30"));
        Assert.False(ElfVersionPatcher.DefinesVersion(gcc12, Gcc13Version));
    }

    [LinuxFact]
    public void Find_system_library_matches_the_machine_of_the_reference()
    {
        ushort machine = ReadMachine(ThisProcess);
        Assert.Equal(machine, ReadMachine(ElfVersionPatcher.FindSystemLibrary(LibStdCxx, ThisProcess)!));

        string foreign = Write(new ElfFixture { Machine = machine == ElfFixture.X86_64 ? (ushort)183 : ElfFixture.X86_64 });
        string? found = ElfVersionPatcher.FindSystemLibrary(LibStdCxx, foreign);
        if (found != null)
            Assert.Equal(ReadMachine(foreign), ReadMachine(found));
    }

    [LinuxToolFact("readelf")]
    public void Readelf_reports_only_the_patched_entry_as_weak()
    {
        string path = Write(TorchSharpLike());
        ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version);

        var (exitCode, output) = Run("readelf", $"-V -W \"{path}\"", directory);

        Assert.Equal(0, exitCode);
        string? file = null;
        var flags = new System.Collections.Generic.Dictionary<(string?, string), string>();
        foreach (string line in output.Split('\n'))
        {
            Match fileLine = Regex.Match(line, @"File: (\S+)");
            if (fileLine.Success)
                file = fileLine.Groups[1].Value;
            Match nameLine = Regex.Match(line, @"Name: (\S+)\s+Flags: (\S+)");
            if (nameLine.Success)
                flags[(file, nameLine.Groups[1].Value)] = nameLine.Groups[2].Value;
        }
        Assert.Equal("WEAK", flags[(LibStdCxx, Gcc13Version)]);
        Assert.Equal("none", flags[(LibStdCxx, "GLIBCXX_3.4.30")]);
        Assert.Equal("none", flags[(OtherFile, Gcc13Version)]);
        Assert.Equal(5, flags.Count);
    }

    [Fact]
    public void Input_that_is_not_ELF_gives_a_clear_error()
    {
        string text = Path.Combine(directory, "text.so");
        File.WriteAllText(text, "INPUT ( /lib/libstdc++.so.6 )");
        AssertClearError(text, "not an ELF file");

        File.WriteAllBytes(text, Array.Empty<byte>());
        AssertClearError(text, "not an ELF file");

        byte[] bigEndian = TorchSharpLike().Build();
        bigEndian[5] = 2;
        AssertClearError(WriteBytes(bigEndian), "big-endian");

        byte[] badClass = TorchSharpLike().Build();
        badClass[4] = 7;
        AssertClearError(WriteBytes(badClass), "unknown ELF class 7");
    }

    [Fact]
    public void Every_truncation_gives_a_clear_error()
    {
        byte[] whole = TorchSharpLike().Build();
        for (int length = 0; length < whole.Length; length++)
        {
            string path = WriteBytes(whole[..length]);
            var error = Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));
            Assert.StartsWith(path + ": ", error.Message);
        }
    }

    [Fact]
    public void Damaged_version_structures_give_clear_errors()
    {
        var fixture = TorchSharpLike();
        byte[] good = fixture.Build();
        long verneed = fixture.VerneedOffset;
        long headers = fixture.SectionHeadersOffset;
        const int verneedSection = 2, headerSize = 64;

        byte[] auxPastEnd = (byte[])good.Clone();
        const int libStdCxxEntry = 64; // after libc.so.6's and libother.so.1's entries, 32 bytes each
        BitConverter.TryWriteBytes(auxPastEnd.AsSpan((int)verneed + libStdCxxEntry + 8), 0x10000u); // vn_aux
        AssertClearError(WriteBytes(auxPastEnd), "Vernaux entry runs past the end of the section");

        byte[] nextPastEnd = (byte[])good.Clone();
        BitConverter.TryWriteBytes(nextPastEnd.AsSpan((int)verneed + 12), 0x10000u); // vn_next of the first entry
        AssertClearError(WriteBytes(nextPastEnd), "Verneed entry runs past the end of the section");

        byte[] badVersion = (byte[])good.Clone();
        badVersion[verneed] = 9;
        AssertClearError(WriteBytes(badVersion), "unknown Verneed version 9");

        byte[] nameOutside = (byte[])good.Clone();
        BitConverter.TryWriteBytes(nameOutside.AsSpan((int)verneed + 4), 0x7fffffffu); // vn_file
        AssertClearError(WriteBytes(nameOutside), "lies outside the string table");

        byte[] badLink = (byte[])good.Clone();
        BitConverter.TryWriteBytes(badLink.AsSpan((int)headers + verneedSection * headerSize + 40), 0u); // sh_link -> null section
        AssertClearError(WriteBytes(badLink), "is not a string table");

        byte[] sectionPastEnd = (byte[])good.Clone();
        BitConverter.TryWriteBytes(sectionPastEnd.AsSpan((int)headers + verneedSection * headerSize + 24), (ulong)good.Length); // sh_offset
        AssertClearError(WriteBytes(sectionPastEnd), ".gnu.version_r lies past the end of the file");

        byte[] noSections = (byte[])good.Clone();
        BitConverter.TryWriteBytes(noSections.AsSpan(40), 0ul); // e_shoff
        AssertClearError(WriteBytes(noSections), "no section headers");
    }

    [Fact]
    public void Damage_anywhere_gives_a_clear_error_or_a_result_never_another_exception()
    {
        byte[] good = TorchSharpLike().Build();
        string path = Path.Combine(directory, "damaged.so");
        foreach (byte value in new byte[] { 0x00, 0xff, 0x80 })
        {
            for (int i = 0; i < good.Length; i++)
            {
                byte[] damaged = (byte[])good.Clone();
                damaged[i] = value;
                File.WriteAllBytes(path, damaged);
                try
                {
                    ElfVersionPatcher.FindVersionNeed(path, LibStdCxx, Gcc13Version);
                    ElfVersionPatcher.DefinesVersion(path, Gcc13Version);
                }
                catch (ElfFormatException error)
                {
                    Assert.StartsWith(path + ": ", error.Message);
                }
            }
        }
    }

    private string WriteBytes(byte[] bytes)
    {
        string path = Path.Combine(directory, $"input-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertClearError(string path, string problem)
    {
        byte[] before = File.ReadAllBytes(path);
        var error = Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.MarkVersionNeedWeak(path, LibStdCxx, Gcc13Version));
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [GeneratedRegex(@"^libstdc\+\+\.so\.6\.0\.(\d+)$")]
    private static partial Regex LibStdCxxFileName();

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string newPath);
}
