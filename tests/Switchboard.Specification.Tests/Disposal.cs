namespace Switchboard.Specification.Tests;

/// <summary>Releases what a conformance base created: async-disposable first, else disposable, else nothing.</summary>
internal static class Disposal
{
    public static async ValueTask DisposeAsync(object? resource)
    {
        switch (resource)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
