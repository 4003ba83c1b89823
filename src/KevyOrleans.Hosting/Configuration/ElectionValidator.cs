using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting;

/// <summary>
/// Fails the silo's start with every configuration error of the model <c>AddKevyElection</c> read, each
/// naming its key and value. It validates nothing itself: the section was read and checked once.
/// </summary>
internal sealed class ElectionValidator(KevySettings settings) : IValidateOptions<KevyElectionOptions>
{
    public ValidateOptionsResult Validate(string? name, KevyElectionOptions options) =>
        settings.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(settings.Messages);
}
