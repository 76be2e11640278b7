namespace OpenList.DriverHost.Drivers.Authorization;

/// <summary>Why an interactive authorization ended without tokens.</summary>
public enum AuthorizationFailure
{
    /// <summary>The user declined (<c>access_denied</c>).</summary>
    Denied,

    /// <summary>The code expired, or nobody approved in time (<c>expired_token</c>).</summary>
    Expired,

    /// <summary>The provider refused the request (bad client id or secret, bad redirect, a <c>state</c> that does not match).</summary>
    Refused,

    /// <summary>The provider could not be reached or kept failing.</summary>
    Unavailable,
}

/// <summary>An interactive authorization failed. The message is for the user and never carries a token or code.</summary>
public sealed class AuthorizationFailedException : Exception
{
    public AuthorizationFailedException(AuthorizationFailure reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public AuthorizationFailure Reason { get; }
}
