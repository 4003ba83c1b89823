using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting;

/// <summary>Fails the silo's start with every configuration error, each naming its key and value.</summary>
internal sealed class ElectionValidator : IValidateOptions<KevyElectionOptions>
{
    public ValidateOptionsResult Validate(string? name, KevyElectionOptions options)
    {
        var result = KevyConfiguration.Read(options);
        return result.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(result.Errors);
    }
}
