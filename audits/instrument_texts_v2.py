"""Version 2 of the instrument's texts, written for each category from the seeds (the passages
behind them: docs/instrument-sources.md). Data only: `audits.instrument_texts` serves them."""

from audits.instrument import STAGES, Area, Category, Source, Stage, category, gettext_noop

Entry = tuple[str, tuple[tuple[str, str], ...], dict[Stage, str]]


def _texts(explanation, examples, *, isolation, initiation, engagement, integration) -> Entry:
    """A category's explanation, its examples as (name, why) and its descriptor per stage."""
    stages = (isolation, initiation, engagement, integration)
    return explanation, tuple(examples.items()), dict(zip(STAGES, stages, strict=True))


TEXTS: dict[Category, Entry] = {}
# 1. Teaching and learning × Relevant research
TEXTS[category(Area.TEACHING_AND_LEARNING, Source.RELEVANT_RESEARCH)] = _texts(
    gettext_noop(
        "How teachers use research on teaching and learning, such as the Education Endowment "
        "Foundation's findings and the work of universities and journals, to decide how they "
        "teach. It asks whether evidence, not only habit, shapes what happens in classrooms."
    ),
    {
        gettext_noop("The Education Endowment Foundation"): gettext_noop(
            "Many Challenge Partners schools use its findings as their main source of research on "
            "what works in teaching and learning."
        ),
        gettext_noop("Initial teacher training with a university"): gettext_noop(
            "Lampton trained new teachers in school with other local schools and a university "
            "partner, joining the university's knowledge of teaching to classroom practice."
        ),
        gettext_noop("Camden's lesson study with the University of Cambridge"): gettext_noop(
            "Teachers planned and taught research lessons together, and Cambridge and Camden teams "
            "analysed their findings each term to shape teaching of the new curriculum."
        ),
        gettext_noop("Researchers in Schools and The Brilliant Club"): gettext_noop(
            "Researchers in Schools, begun at Lampton, brings postgraduates into teaching; The "
            "Brilliant Club links postgraduates with disadvantaged pupils as mentors."
        ),
    },
    isolation=gettext_noop(
        "Teachers plan lessons from their own training and habits; no one reads or discusses "
        "research on teaching, such as the Education Endowment Foundation's findings, before "
        "trying something new or keeping something old."
    ),
    initiation=gettext_noop(
        "A few enthusiasts read research summaries or go on a university course and report back at "
        "a department meeting; whether anyone changes how they teach is left to each teacher."
    ),
    engagement=gettext_noop(
        "Each year departments choose a teaching approach on the evidence, try it in their lessons "
        "and check its effect on pupils' learning; teachers study the research with colleagues "
        "from partner schools, for instance through joint teacher training with a university."
    ),
    integration=gettext_noop(
        "Teachers from many schools research their own classrooms alongside a university, as "
        "Camden's did with Cambridge in lesson study: research lessons are analysed every term, "
        "and the findings change schemes of work in every school and feed back into the research."
    ),
)
# 2. Teaching and learning × Best practice
TEXTS[category(Area.TEACHING_AND_LEARNING, Source.BEST_PRACTICE)] = _texts(
    gettext_noop(
        "How teachers learn from the best teaching in other schools. Best practice is found "
        "through inspection and national results, then checked against the judgement of peers who "
        "have seen the teaching for themselves."
    ),
    {
        gettext_noop("Inspection and results, triangulated against peer judgement"): gettext_noop(
            "Ofsted reports and published results show broadly where teaching is strong, but on "
            "their own they are not enough and need checking against the judgement of peers."
        ),
        gettext_noop("The Teaching School Alliance"): gettext_noop(
            "Lampton was one of the London Challenge's first four teaching schools, and the "
            "alliance kept its teachers in continuous contact with schools showing best practice."
        ),
        gettext_noop("Quebec's Ministry of Education and the Fraser Report"): gettext_noop(
            "In Quebec they are the broad sources that show where best practice lies, as "
            "inspection and published results do in England."
        ),
    },
    isolation=gettext_noop(
        "Teachers compare their lessons only with those of colleagues in the same building; when "
        "results trail those of similar schools, the gap is blamed on the pupils, not the "
        "teaching, and nobody goes to see how others teach."
    ),
    initiation=gettext_noop(
        "The school uses published results and inspection reports to find schools that teach a "
        "subject better, and a few teachers spend a day watching lessons there; with no follow-up, "
        "such visits stay closer to tourism than to improvement."
    ),
    engagement=gettext_noop(
        "Teachers observe, and are observed by, colleagues in partner schools every term, choosing "
        "schools whose results and peer judgement both show strong teaching; they agree what to "
        "adopt, try it with their own classes and meet again to compare the effect."
    ),
    integration=gettext_noop(
        "Through a hub or teaching school alliance, teachers are in continuous contact with "
        "classrooms in many high-performing schools; practice that results and peers both confirm "
        "spreads quickly across them, and teachers coach and teach in one another's classrooms."
    ),
)
# 3. Teaching and learning × Emerging effective innovation
TEXTS[category(Area.TEACHING_AND_LEARNING, Source.EMERGING_INNOVATION)] = _texts(
    gettext_noop(
        "How teachers use programmes that shape best practice and research so that any school can "
        "take them up, such as Olevi's or the Western Quebec School Board's Teacher Improvement "
        "Programme. It also covers new routes into teaching."
    ),
    {
        gettext_noop("The Olevi programmes and the Olevi Doc"): gettext_noop(
            "Olevi's programmes for improving teaching and learning are open to any school, and "
            "Lampton was a regional centre training teachers in the Olevi syllabus."
        ),
        gettext_noop("Western Quebec School Board's Teacher Improvement Programme"): gettext_noop(
            "Like the Olevi programmes, it shapes best practice into a programme for improving "
            "teachers that the wider community can take up."
        ),
        gettext_noop("Camden Learning Oracy Hub"): gettext_noop(
            "Four lead schools turned research on talk and their own practice into weekly "
            "structured talk and vocabulary work for a large cross-phase group of Camden schools."
        ),
        gettext_noop("Teach First"): gettext_noop(
            "A new route into teaching that encourages and trains high-quality graduates to teach "
            "in schools serving disadvantaged students."
        ),
    },
    isolation=gettext_noop(
        "Improving teaching is left to each teacher's own efforts; programmes that others have "
        "built for the purpose, such as Olevi's or a teacher-improvement programme, are unknown or "
        "dismissed as unsuited to 'our pupils'."
    ),
    initiation=gettext_noop(
        "One or two teachers are sent on an external programme, such as an Olevi course, and come "
        "back with new techniques that stay in their own classrooms; new teachers are recruited "
        "only through the usual routes."
    ),
    engagement=gettext_noop(
        "Every year the school puts a group of teachers through a proven improvement programme and "
        "coaches them afterwards so the techniques last; it recruits through new routes such as "
        "Teach First and trains teachers from neighbouring schools alongside its own."
    ),
    integration=gettext_noop(
        "The school builds and runs programmes with other schools, as the four Camden oracy hub "
        "schools did: its tested classroom practice becomes a programme, such as weekly structured "
        "talk and vocabulary lessons, that many schools adopt and refine together."
    ),
)
# 4. Leadership × Relevant research
TEXTS[category(Area.LEADERSHIP, Source.RELEVANT_RESEARCH)] = _texts(
    gettext_noop(
        "How leaders at every level, from middle leaders to the head and governors, use research "
        "on leadership and school improvement to make decisions. It asks whether evidence informs "
        "priorities, staffing and professional development."
    ),
    {
        gettext_noop("Evidence from London universities"): gettext_noop(
            "Lampton's close connections with a number of London universities let its leaders use "
            "evidence, where it was available, to make decisions."
        ),
        gettext_noop("Robinson's research on leading teacher inquiry"): gettext_noop(
            "Her 2009 meta-study found that leading teachers' inquiry into students' learning has "
            "the most significant effect on outcomes of any leadership action studied."
        ),
        gettext_noop("Hargreaves and Hill on self-improving schools"): gettext_noop(
            "Camden's heads and governors drew on Hargreaves's vision of self-improving schools "
            "and Hill's studies of system leadership in forming their partnership."
        ),
    },
    isolation=gettext_noop(
        "Leaders decide priorities, staffing and training from experience and instinct; research "
        "on leadership and school improvement plays no part."
    ),
    initiation=gettext_noop(
        "The head or a senior leader reads research on leadership and cites it in the improvement "
        "plan or on a training day, but decisions are taken as before and middle leaders never see "
        "the research."
    ),
    engagement=gettext_noop(
        "Senior and middle leaders weigh the evidence before setting priorities, for example "
        "leading teachers' enquiry into pupils' learning because research shows its strong effect, "
        "and check with partner schools' leaders whether their changes work."
    ),
    integration=gettext_noop(
        "Heads, middle leaders and governors work with universities and researchers on how schools "
        "lead improvement together; their own evaluations, like that of Camden's learning hubs, "
        "become evidence that other partnerships use."
    ),
)
# 5. Leadership × Best practice
TEXTS[category(Area.LEADERSHIP, Source.BEST_PRACTICE)] = _texts(
    gettext_noop(
        "How leaders learn from leaders in schools that achieve more, as shown by inspection and "
        "results and confirmed by peer judgement. It also covers the school's own leaders "
        "supporting leaders elsewhere."
    ),
    {
        gettext_noop("National Support School and National Leader in Education"): gettext_noop(
            "Lampton was in the first cohort of schools accredited to support other schools, and "
            "helped define the approach."
        ),
        gettext_noop("Specialist Leaders in Education"): gettext_noop(
            "Lampton's advanced skills teachers, and later its Specialist Leaders in Education, "
            "took expertise proven in their own school to colleagues in other schools."
        ),
        gettext_noop("Appointing leaders proven in a similar context"): gettext_noop(
            "Often the most successful way to break condoned failure is to appoint key staff who "
            "have succeeded elsewhere in a similar context and give them executive responsibility."
        ),
    },
    isolation=gettext_noop(
        "Leaders measure the school only against its own past results; meetings with other heads "
        "deal with admissions and funding, and no one asks how leaders of similar schools achieve "
        "more."
    ),
    initiation=gettext_noop(
        "Leaders use inspection reports and national results to pick out similar schools that do "
        "better, and the head visits one or invites its leaders to speak, without a plan for what "
        "to learn from them."
    ),
    engagement=gettext_noop(
        "Leaders at every level work regularly with counterparts in schools whose results and peer "
        "review show strong leadership: middle leaders are paired with peers in partner schools, "
        "and the school both receives and gives support through Specialist Leaders in Education."
    ),
    integration=gettext_noop(
        "The school's leaders are accredited to lead improvement elsewhere, as a National Support "
        "School or National Leaders of Education, and help define how that support is given; "
        "leadership practice flows both ways across a national network of schools."
    ),
)
# 6. Leadership × Emerging effective innovation
TEXTS[category(Area.LEADERSHIP, Source.EMERGING_INNOVATION)] = _texts(
    gettext_noop(
        "How the school uses new programmes and roles built to grow leaders, such as Future "
        "Leaders, Olevi's leadership programmes or middle leaders who lead hubs of schools. It "
        "asks whether leadership is developed on purpose, at every level."
    ),
    {
        gettext_noop("Future Leaders"): gettext_noop(
            "An accelerated programme for potential school leaders, started in London and then "
            "rolled out nationally."
        ),
        gettext_noop("The Olevi leadership programmes"): gettext_noop(
            "Leadership is one of the three components of the Olevi suite of programmes, alongside "
            "teaching and learning and coaching."
        ),
        gettext_noop("Middle leaders leading Camden's learning hubs"): gettext_noop(
            "Subject leaders from hub-lead schools coached middle leaders in member schools to "
            "lead change in their own schools, a new source of system leadership."
        ),
    },
    isolation=gettext_noop(
        "Leaders learn to lead by doing the job; programmes built for growing leaders, such as "
        "Future Leaders or Olevi's leadership programmes, are not used, and succession is left to "
        "chance."
    ),
    initiation=gettext_noop(
        "Now and then a promising teacher or middle leader joins an external leadership programme, "
        "but what they learn is not built into how the school develops its other leaders."
    ),
    engagement=gettext_noop(
        "The school plans a stream of staff through leadership programmes each year, from student "
        "leaders to senior leaders, and gives middle leaders leading roles in joint projects with "
        "other schools."
    ),
    integration=gettext_noop(
        "The school's leaders help design and run new forms of leadership across a community of "
        "schools, as Camden's hub-lead middle leaders did by coaching middle leaders in member "
        "schools to lead change in their own."
    ),
)
# 7. Collaborative learning × Relevant research
TEXTS[category(Area.COLLABORATIVE_LEARNING, Source.RELEVANT_RESEARCH)] = _texts(
    gettext_noop(
        "What research says about how teachers and schools learn from one another, and whether the "
        "school uses it to organise its collaboration. Without it, a network can be busy yet "
        "weakly related to the core of classroom life."
    ),
    {
        gettext_noop("Cambridge research on teacher learning in lesson study"): gettext_noop(
            "University of Cambridge researchers studied how Camden's teachers learnt through "
            "exploratory talk in lesson study groups and fed their findings back each term."
        ),
        gettext_noop("Lima's four features of effective networks"): gettext_noop(
            "It finds that networks work when members see themselves as part of a whole, share "
            "clear goals, structure relations around them and coordinate their activity."
        ),
        gettext_noop("Lessons from London Schools"): gettext_noop(
            "The Centre for London and CfBT study of London's schools shows how networks created a "
            "sense of possibility, and that collaboration does not happen by magic."
        ),
    },
    isolation=gettext_noop(
        "No one in the school knows what research says about how teachers and schools learn from "
        "one another; collaboration, where it happens at all, rests on goodwill and habit."
    ),
    initiation=gettext_noop(
        "Leaders read research on networks and professional learning, such as what makes "
        "partnerships effective, and use it to argue for working with other schools, but it does "
        "not yet shape how joint work is organised."
    ),
    engagement=gettext_noop(
        "Joint work with other schools is designed on the evidence: a clear shared goal, carefully "
        "matched partners, planned and coordinated activity, and sustained enquiry rather than "
        "one-off visits; the school checks whether it changes teachers' practice."
    ),
    integration=gettext_noop(
        "Schools and universities study their collaboration together, as Cambridge researchers did "
        "with Camden's lesson study groups, analysing how teachers talk and learn and feeding the "
        "findings back each term so that joint learning keeps improving."
    ),
)
# 8. Collaborative learning × Best practice
TEXTS[category(Area.COLLABORATIVE_LEARNING, Source.BEST_PRACTICE)] = _texts(
    gettext_noop(
        "How staff learn alongside staff in other schools that demonstrate best practice, through "
        "hubs, alliances and carefully chosen partners. It asks whether these links are continuous "
        "and trusted, or occasional visits."
    ),
    {
        gettext_noop("The Challenge Partners hub"): gettext_noop(
            "Lampton was a founder member and a hub school, in continuous contact with other "
            "schools that also demonstrated best practice."
        ),
        gettext_noop("London Challenge pairings using Families of Schools data"): gettext_noop(
            "Schools were carefully paired, with comparative data and skilled advisers, taking "
            "account of their context and where they were on the improvement journey."
        ),
        gettext_noop("The Specialist Schools Trust and the Sports Trust"): gettext_noop(
            "National organisations among the initiatives through which Lampton linked nationwide "
            "to other schools demonstrating best practice."
        ),
    },
    isolation=gettext_noop(
        "Staff learn only from colleagues inside the school; they have no working contact with "
        "staff in outstanding schools, and local subject meetings, if attended, pass on news "
        "rather than practice."
    ),
    initiation=gettext_noop(
        "The school joins a local or national network and a few staff meet counterparts from "
        "outstanding schools, but these contacts depend on individuals and lapse when they move "
        "on."
    ),
    engagement=gettext_noop(
        "The school is paired with partner schools that results and peer judgement show to be "
        "strong, matched for context and stage of improvement; staff build enough trust to share "
        "their own practice openly and work together around agreed goals each term."
    ),
    integration=gettext_noop(
        "The school is a committed member, even a founder, of a hub of outstanding schools such as "
        "a Challenge Partners hub, in continuous contact with them; staff share and grow knowledge "
        "across the network year after year."
    ),
)
# 9. Collaborative learning × Emerging effective innovation
TEXTS[category(Area.COLLABORATIVE_LEARNING, Source.EMERGING_INNOVATION)] = _texts(
    gettext_noop(
        "How the school uses structured models for learning with other schools, such as Challenge "
        "Partners peer review, coaching and commissioned learning hubs. These shape collaboration "
        "so that the whole community can use it."
    ),
    {
        gettext_noop("Challenge Partners peer review (QAR)"): gettext_noop(
            "It turns peer judgement into a structured review that any school in the partnership "
            "can take part in and learn from."
        ),
        gettext_noop("Olevi coaching and the Olevi Collaborative Learning Model"): gettext_noop(
            "The model moves staff from information to experience to coaching and mentoring, the "
            "highest order of learning activity, where embedded learning takes place."
        ),
        gettext_noop("Camden Learning Hubs"): gettext_noop(
            "Groups of schools bid for a commission to research a local need and spread the "
            "resulting practice, reporting each term and held to account by their peers."
        ),
    },
    isolation=gettext_noop(
        "The school has no structured way of learning with other schools; peer review, "
        "cross-school coaching and commissioned hubs play no part in its year."
    ),
    initiation=gettext_noop(
        "The school tries a structured model once, such as hosting a peer review or sending staff "
        "on a coaching course, and acts on some of what it learns, but does not repeat or build on "
        "it."
    ),
    engagement=gettext_noop(
        "Structured collaboration is routine: the school takes part in peer review with partner "
        "schools, trains staff as coaches and coaches teachers in other schools, moving staff from "
        "information through experience to coaching and mentoring."
    ),
    integration=gettext_noop(
        "The school leads or joins commissioned hubs, like Camden's learning hubs, that research a "
        "shared need, spread the resulting practice to member schools through coaching, and report "
        "each term on what worked, held to account by their peer schools."
    ),
)
