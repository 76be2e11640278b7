namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// The API refused the access token (each driver's classification decides which answers say so):
/// <see cref="AccessTokenRetry"/> renews it and makes the call once more.
/// </summary>
public sealed class AccessTokenRejectedException : Exception
{
    public AccessTokenRejectedException(string code)
        : base($"access token rejected ({code})")
    {
        Code = code;
    }

    /// <summary>The provider's code or the reason it was read as a rejection, for logs and messages (never the token).</summary>
    public string Code { get; }
}
