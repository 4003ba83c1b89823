namespace KevyOrleans.Hosting.Hooks;

/// <summary>The <c>Kevy:Hooks</c> section: a webhook that receives a JSON event on every election, switchover, fence and conflict.</summary>
public sealed class HooksOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Kevy:Hooks";

    /// <summary>The http(s) URL events are POSTed to; empty (the default) = no hook.</summary>
    public string? Url { get; set; }

    /// <summary>Events waiting to be sent; when full, a new event is dropped and counted (<c>kevy.hooks.dropped</c>): an election never waits for the hook.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Tries per event (the first send and its retries); then it is dropped and counted (<c>kevy.hooks.failed</c>).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; it doubles per retry, capped at 30 s.</summary>
    public int RetryBaseMs { get; set; } = 250;

    /// <summary>How long one POST may take.</summary>
    public int TimeoutMs { get; set; } = 5000;

    /// <summary>True when a URL is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Every problem with these options, each naming its key; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Enabled && (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{SectionName}:{nameof(Url)} is '{Url}'; it must be an absolute http or https URL");
        }
        void Positive(string name, int value)
        {
            if (value <= 0)
            {
                errors.Add($"{SectionName}:{name} is {value}; it must be greater than 0");
            }
        }
        Positive(nameof(QueueCapacity), QueueCapacity);
        Positive(nameof(MaxAttempts), MaxAttempts);
        Positive(nameof(RetryBaseMs), RetryBaseMs);
        Positive(nameof(TimeoutMs), TimeoutMs);
        return errors;
    }
}
