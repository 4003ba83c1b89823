namespace KevyOrleans.Protocol;

/// <summary>What a decode attempt found. Everything but <see cref="Ok"/> and <see cref="Incomplete"/> drops the connection.</summary>
public enum DecodeStatus : byte
{
    /// <summary>A whole frame was decoded.</summary>
    Ok = 0,

    /// <summary>The bytes so far are a valid prefix of a frame: keep reading.</summary>
    Incomplete = 1,

    /// <summary>Not a RESP array of bulk strings.</summary>
    BadEnvelope = 2,

    /// <summary>Unknown verb or wrong element count for the verb.</summary>
    WrongShape = 3,

    /// <summary>An epoch or offset is not a u64 in decimal.</summary>
    BadNumeric = 4,

    /// <summary>A role is not primary, replica or candidate.</summary>
    BadRole = 5,

    /// <summary>The frame is, or would grow, larger than the frame cap.</summary>
    FrameTooLarge = 6,
}
