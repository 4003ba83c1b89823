namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// How the agent authenticates to a group's data nodes: a password (<c>AUTH password</c>, Redis'
/// default user or <c>requirepass</c>) or an ACL user with its password (<c>AUTH user password</c>).
/// <see cref="ToString"/> never shows the password, so a credentials object can be logged safely.
/// </summary>
public sealed class DataNodeCredentials
{
    /// <summary>Credentials for <c>AUTH</c>; a blank <paramref name="user"/> means the default user.</summary>
    /// <param name="user">The ACL user, or null or blank for the default user.</param>
    /// <param name="password">The password; must not be empty.</param>
    public DataNodeCredentials(string? user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        User = string.IsNullOrWhiteSpace(user) ? null : user;
        Password = password;
    }

    /// <summary>The ACL user; null for the default user.</summary>
    public string? User { get; }

    /// <summary>The password sent with <c>AUTH</c>; never logged.</summary>
    public string Password { get; }

    /// <summary>The user (if any) with the password masked, safe to log.</summary>
    public override string ToString() => User is null ? "password ***" : $"user '{User}', password ***";
}
