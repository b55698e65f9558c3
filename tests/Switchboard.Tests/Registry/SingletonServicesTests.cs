using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Registry;

namespace Switchboard.Tests.Registry;

/// <summary>Which handlers run from the root provider (services all singletons) and which keep a DI scope per job.</summary>
public sealed class SingletonServicesTests
{
    [Fact]
    public void HandlerWithOnlySingletonsAndOpenGenericSingletonsNeedsNoScope()
    {
        var (singletons, handler) = Describe((WindowInfo w, Single s, ILogger<SingletonServicesTests> log, IOptions<SwitchboardOptions> o) => { });

        Assert.True(singletons.Suffice(handler));
    }

    [Theory]
    [InlineData("scoped")]
    [InlineData("transient")]
    [InlineData("provider")]
    public void HandlerWithAnythingElseKeepsItsScope(string kind)
    {
        var (singletons, handler) = kind switch
        {
            "scoped" => Describe((WindowInfo w, Single s, Scoped x) => { }),
            "transient" => Describe((WindowInfo w, Transient x) => { }),
            _ => Describe((WindowInfo w, IServiceProvider x) => { }),
        };

        Assert.False(singletons.Suffice(handler));
    }

    [Fact]
    public void TheLastRegistrationDecidesAndAClosedOneBeatsAnOpenGeneric()
    {
        var (singletons, handler) = Describe((WindowInfo w, Single s, IGeneric<int> g) => { }, services =>
        {
            services.AddScoped<Single>();
            services.AddSingleton<Single>();
            services.AddSingleton(typeof(IGeneric<>), typeof(Generic<>));
            services.AddScoped<IGeneric<int>, Generic<int>>();
        });

        Assert.False(singletons.Suffice(handler));
    }

    [Fact]
    public void HandlerWithoutServicesSufficesToo()
    {
        var (singletons, handler) = Describe((WindowInfo w, int n) => { });

        Assert.True(singletons.Suffice(handler));
    }

    private static (SingletonServices, SignalHandlerDescriptor) Describe(Delegate handler, Action<IServiceCollection>? more = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddOptions();
        collection.AddSingleton<Single>();
        collection.AddScoped<Scoped>();
        collection.AddTransient<Transient>();
        more?.Invoke(collection);
        var descriptor = TestRegistry.Describe(handler, services =>
        {
            foreach (var d in collection)
            {
                services.Add(d);
            }
        });
        return (new SingletonServices(collection), descriptor);
    }

    public sealed class Single;

    public sealed class Scoped;

    public sealed class Transient;

    public interface IGeneric<T>;

    public sealed class Generic<T> : IGeneric<T>;
}
