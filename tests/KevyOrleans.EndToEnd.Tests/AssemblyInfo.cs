// Each test class runs a silo process over several redis-servers and kills some of them; one at a
// time keeps a 2-core machine responsive enough for 1 s down_after timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
