using System.Buffers.Binary;
using System.Text;
using KevyOrleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>
/// What the file store holds for each member: reads the state files the silo wrote (header of 32
/// bytes, then the state's identity, then the Orleans-serialized <see cref="MemberState"/>; README,
/// "File store"), independently of the silo.
/// </summary>
public static class StoredMemberRecords
{
    private static readonly Lazy<Serializer> Serializer = new(() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(MemberState).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>());

    /// <summary>Member id to its stored record, for the members of <paramref name="group"/> whose file exists.</summary>
    public static IReadOnlyDictionary<string, MemberState> Read(string directory, string group, IEnumerable<string> members)
    {
        var result = new Dictionary<string, MemberState>(StringComparer.Ordinal);
        var files = Directory.GetFiles(directory, "member.*.state", SearchOption.AllDirectories);
        foreach (var id in members)
        {
            var suffix = $"{group}%2F{id}.state";
            var file = files.SingleOrDefault(f => f.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
            if (file is null)
            {
                continue;
            }
            var bytes = File.ReadAllBytes(file);
            Assert.Equal("KVGS", Encoding.ASCII.GetString(bytes, 0, 4));
            var identityLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
            var payloadLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
            var payload = bytes.AsMemory(32 + identityLength, payloadLength);
            result[id] = Serializer.Value.Deserialize<MemberState>(payload) ?? throw new InvalidDataException($"{file} holds no member state");
        }
        return result;
    }
}
