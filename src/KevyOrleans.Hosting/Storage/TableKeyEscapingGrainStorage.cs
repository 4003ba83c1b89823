using System.Text;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// Puts Orleans' Azure Table grain storage in front of keys it would merge. That provider turns
/// '/', '\', '#' and '?' into '_' in its partition and row keys, so grain "orders/n1" and grain
/// "orders_n1" share one row: one node would read, and overwrite, another's election record.
/// Escaping those characters, '_' and '%' (and control characters, which table keys refuse) as
/// %XX before the provider sees them makes its sanitizing a no-op and keeps distinct ids distinct.
/// </summary>
internal sealed class TableKeyEscapingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(Escape(stateName), Escape(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(Escape(stateName), Escape(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(Escape(stateName), Escape(grainId), grainState);

    internal static GrainId Escape(GrainId grainId) =>
        GrainId.Create(Escape(grainId.Type.ToString()!), Escape(grainId.Key.ToString()!));

    internal static string Escape(string value)
    {
        if (!value.AsSpan().ContainsAny(Reserved) && !value.Any(char.IsControl))
        {
            return value; // The common case, and existing plain keys keep their rows.
        }
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Reserved.Contains(c) || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Reserved = System.Buffers.SearchValues.Create("%_/\\#?");
}
